import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login benchmark load generator: Palisade auth-service vs Keycloak, same scenario, same machine.
 *
 * <p>Scenario per virtual client, in a closed loop: full sign-in with password + TOTP (Palisade: POST /api/v1/login then
 * POST /api/v1/login/mfa; Keycloak: one direct-access grant with username, password and totp), then one refresh-token
 * grant with the refresh token just received. Each user signs in at most once per 30-second TOTP step (both systems
 * refuse a code that was already used), so the users are taken from a pool in FIFO order and a user whose last code
 * is from the current step is not taken again until the next step (time spent waiting for such a user is reported
 * as "starved"; it should be 0).
 *
 * <p>JDK only (java.net.http, javax.crypto); run with {@code java bench/login/LoginBench.java MODE ...}:
 * <pre>
 *   seed-palisade URL USERS PASSWORD OUT_CSV [THREADS]
 *   run KEY=VALUE...   (see {@link #run})
 * </pre>
 */
public class LoginBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoginBench seed-palisade URL USERS PASSWORD OUT_CSV [THREADS] | run key=value...");
            System.exit(2);
        }
        switch (args[0]) {
            case "seed-palisade" -> seedPalisade(args[1], Integer.parseInt(args[2]), args[3], Path.of(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 4);
            case "run" -> System.exit(run(Arrays.copyOfRange(args, 1, args.length)));
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ TOTP (RFC 6238)

    static long currentStep() {
        return Instant.now().getEpochSecond() / 30;
    }

    static String totp(byte[] key, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int o = h[h.length - 1] & 0xf;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] base32Decode(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        s = s.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0, bits = 0, n = 0;
        for (char c : s.toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ------------------------------------------------------------------------------------------------ HTTP helpers

    record Reply(int status, String body) {
    }

    static Reply postJson(String url, String json, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("User-Agent", "palisade-login-bench").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static Reply postForm(String url, Map<String, String> form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("User-Agent", "palisade-login-bench").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.body());
    }

    static String json(String body, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|true|false|-?[0-9.]+)")
                .matcher(body);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    static String require(Reply r, int status, String key, String what) {
        if (r.status() != status) {
            throw new BenchFailure(what + ": HTTP " + r.status() + " " + abbreviate(r.body()));
        }
        String v = json(r.body(), key);
        if (v == null) {
            throw new BenchFailure(what + ": no '" + key + "' in " + abbreviate(r.body()));
        }
        return v;
    }

    static String abbreviate(String s) {
        s = s == null ? "" : s.replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static final class BenchFailure extends RuntimeException {
        BenchFailure(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------------ users

    static final class User {
        final String login;
        final String password;
        final byte[] otpKey;
        volatile long lastStep;

        User(String login, String password, byte[] otpKey, long lastStep) {
            this.login = login;
            this.password = password;
            this.otpKey = otpKey;
            this.lastStep = lastStep;
        }
    }

    /** CSV: login,password,secret,lastStep; secret is base32 (Palisade) or the UTF-8 string itself (Keycloak). */
    static List<User> readUsers(Path csv, boolean base32) throws IOException {
        List<User> users = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f.length < 4 || f[0].equals("username") || f[0].equals("email")) {
                continue;
            }
            byte[] key = base32 ? base32Decode(f[2]) : f[2].getBytes(StandardCharsets.UTF_8);
            users.add(new User(f[0], f[1], key, Long.parseLong(f[3])));
        }
        return users;
    }

    // ------------------------------------------------------------------------------------------------ seeding

    /** Registers USERS accounts on Palisade, enrols and confirms TOTP for each, and writes the CSV. */
    static void seedPalisade(String url, int count, String password, Path out, int threads) throws Exception {
        long t0 = System.nanoTime();
        String[] lines = new String[count];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                String email = String.format("user%05d@bench.test", n);
                String creds = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
                Reply reg = postJson(url + "/api/v1/accounts", creds, null);
                if (reg.status() != 202) {
                    throw new BenchFailure("register " + email + ": HTTP " + reg.status() + " " + abbreviate(reg.body()));
                }
                Reply login = postJson(url + "/api/v1/login", creds, null);
                String access = require(login, 200, "accessToken", "first sign-in of " + email);
                String secret = require(postJson(url + "/api/v1/mfa/totp", "{}", access), 200, "secret", "TOTP enrolment of " + email);
                byte[] key = base32Decode(secret);
                long step = currentStep();
                Reply confirm = postJson(url + "/api/v1/mfa/totp/confirm", "{\"code\":\"" + totp(key, step) + "\"}", access);
                if (confirm.status() != 200 || !confirm.body().contains("\"recoveryCodes\"")) {
                    throw new BenchFailure("TOTP confirmation of " + email + ": HTTP " + confirm.status() + " " + abbreviate(confirm.body()));
                }
                lines[n] = email + "," + password + "," + secret + "," + step;
                long d = done.incrementAndGet();
                if (d % 250 == 0) {
                    System.out.printf("  seeded %d/%d Palisade users (%.0f s)%n", d, count, (System.nanoTime() - t0) / 1e9);
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : futures) {
            f.get();
        }
        StringBuilder csv = new StringBuilder("email,password,totpSecretBase32,lastStep\n");
        for (String l : lines) {
            csv.append(l).append('\n');
        }
        Files.writeString(out, csv);
        System.out.printf("seeded %d Palisade users with TOTP in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------------------------------------ targets

    interface Target {
        String name();

        /** Full sign-in (password + TOTP); answers the refresh token. */
        String signIn(User u, long step) throws Exception;

        /** One refresh-token grant; answers the new refresh token. */
        String refresh(String refreshToken) throws Exception;
    }

    record Palisade(String url) implements Target {
        public String name() {
            return "palisade";
        }

        public String signIn(User u, long stepAtStart) throws Exception {
            String creds = "{\"email\":\"" + u.login + "\",\"password\":\"" + u.password + "\"}";
            Reply first = postJson(url + "/api/v1/login", creds, null);
            String mfaToken = require(first, 200, "mfaToken", "password step");
            long step = Math.max(stepAtStart, currentStep());
            u.lastStep = step;
            Reply second = postJson(url + "/api/v1/login/mfa",
                    "{\"mfaToken\":\"" + mfaToken + "\",\"code\":\"" + totp(u.otpKey, step) + "\"}", null);
            String acr = json(second.body(), "acr");
            String rt = require(second, 200, "refreshToken", "TOTP step");
            if (!"aal2".equals(acr)) {
                throw new BenchFailure("TOTP step: acr " + acr + " instead of aal2");
            }
            return rt;
        }

        public String refresh(String refreshToken) throws Exception {
            return require(postForm(url + "/oauth2/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken)),
                    200, "refresh_token", "refresh");
        }
    }

    record Keycloak(String url) implements Target {
        public String name() {
            return "keycloak";
        }

        String tokenUrl() {
            return url + "/realms/bench/protocol/openid-connect/token";
        }

        public String signIn(User u, long stepAtStart) throws Exception {
            long step = Math.max(stepAtStart, currentStep());
            u.lastStep = step;
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "password");
            form.put("client_id", "bench");
            form.put("username", u.login);
            form.put("password", u.password);
            form.put("totp", totp(u.otpKey, step));
            return require(postForm(tokenUrl(), form), 200, "refresh_token", "direct grant");
        }

        public String refresh(String refreshToken) throws Exception {
            return require(postForm(tokenUrl(), Map.of("grant_type", "refresh_token", "client_id", "bench", "refresh_token",
                    refreshToken)), 200, "refresh_token", "refresh");
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    static final class Recorder {
        final List<long[]> signIn = new ArrayList<>();
        final List<long[]> refresh = new ArrayList<>();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        final Map<String, String> firstError = new ConcurrentHashMap<>();
        final AtomicLong starvedMillis = new AtomicLong();

        void error(String what, Throwable t) {
            String kind = what + ": " + (t instanceof BenchFailure ? t.getMessage().replaceAll("HTTP (\\d+).*", "HTTP $1")
                    : t.getClass().getSimpleName());
            errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            firstError.putIfAbsent(kind, String.valueOf(t.getMessage()));
        }
    }

    /** Per-client latency buffer (nanoseconds). */
    static final class Lat {
        long[] v = new long[1024];
        int n;

        void add(long x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }

        long[] values() {
            return Arrays.copyOf(v, n);
        }
    }

    record Phase(String target, int concurrency, int rep, double seconds, long signIns, long refreshes, double signInP50,
            double signInP99, double refreshP50, double refreshP99, long errors, long starvedMs, double serverCpuSeconds,
            double machineBusyCores, String errorDetail) {

        double loginsPerSecond() {
            return signIns / seconds;
        }

        double refreshesPerSecond() {
            return refreshes / seconds;
        }
    }

    static User take(ArrayBlockingQueue<User> pool, Recorder rec) throws InterruptedException {
        while (true) {
            User u = pool.take();
            long now = currentStep();
            if (u.lastStep < now) {
                return u;
            }
            pool.put(u); // every user in the pool has signed in during this step: wait for the next one
            long t = System.currentTimeMillis();
            long wait = (now + 1) * 30_000 - t + 50;
            Thread.sleep(Math.max(wait, 10));
            rec.starvedMillis.addAndGet(System.currentTimeMillis() - t);
        }
    }

    static Phase phase(Target target, ArrayBlockingQueue<User> pool, int concurrency, int rep, int seconds, long serverPid,
            boolean counted) throws Exception {
        Recorder rec = new Recorder();
        Lat[] signIn = new Lat[concurrency];
        Lat[] refresh = new Lat[concurrency];
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long cpu0 = processCpuTicks(serverPid);
        long[] machine0 = machineTicks();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Lat s = signIn[c] = new Lat();
            Lat r = refresh[c] = new Lat();
            fs.add(clients.submit(() -> {
                while (System.nanoTime() < deadline) {
                    User u = take(pool, rec);
                    String rt;
                    long t0 = System.nanoTime();
                    try {
                        rt = target.signIn(u, currentStep());
                    } catch (Exception e) {
                        rec.error("sign-in", e);
                        pool.put(u);
                        continue;
                    }
                    pool.put(u);
                    long t1 = System.nanoTime();
                    if (t1 <= deadline) {
                        s.add(t1 - t0);
                    }
                    try {
                        target.refresh(rt);
                        long t2 = System.nanoTime();
                        if (t2 <= deadline) {
                            r.add(t2 - t1);
                        }
                    } catch (Exception e) {
                        rec.error("refresh", e);
                    }
                }
                return null;
            }));
        }
        clients.shutdown();
        for (Future<?> f : fs) {
            f.get();
        }
        long cpu1 = processCpuTicks(serverPid);
        long[] machine1 = machineTicks();
        long[] si = merge(signIn);
        long[] rf = merge(refresh);
        long errors = rec.errors.values().stream().mapToLong(AtomicLong::get).sum();
        StringBuilder detail = new StringBuilder();
        rec.errors.forEach((k, v) -> detail.append(detail.length() == 0 ? "" : "; ").append(v.get()).append("x ").append(k)
                .append(" (e.g. ").append(abbreviate(rec.firstError.get(k))).append(')'));
        double busy = machine1[1] - machine0[1] == 0 ? 0
                : (double) ((machine1[0] - machine0[0])) / (machine1[1] - machine0[1]) * Runtime.getRuntime().availableProcessors();
        return new Phase(target.name(), concurrency, rep, seconds, si.length, rf.length, pct(si, 50), pct(si, 99), pct(rf, 50),
                pct(rf, 99), errors, rec.starvedMillis.get(), (cpu1 - cpu0) / 100.0, busy, detail.toString());
    }

    static long[] merge(Lat[] lats) {
        long[] all = new long[Arrays.stream(lats).mapToInt(l -> l.n).sum()];
        int i = 0;
        for (Lat l : lats) {
            System.arraycopy(l.v, 0, all, i, l.n);
            i += l.n;
        }
        Arrays.sort(all);
        return all;
    }

    /** Percentile (nearest rank) in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    /** utime+stime of a process in clock ticks (USER_HZ = 100 on Linux), or 0 when unknown. */
    static long processCpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    /** {busy, total} jiffies of the whole machine from /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] { total - idle, total };
        } catch (Exception e) {
            return new long[] { 0, 0 };
        }
    }

    // ------------------------------------------------------------------------------------------------ run

    /**
     * Options (key=value): palisade=URL palisadeUsers=CSV palisadePid=PID keycloak=URL keycloakUsers=CSV keycloakPid=PID
     * concurrency=8,32 reps=3 duration=25 warmup=15 out=DIR. Answers the exit status: 0, or 1 when any request failed.
     */
    static int run(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int[] concurrency = Arrays.stream(o.getOrDefault("concurrency", "8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.parseInt(o.getOrDefault("reps", "3"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "25"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "15"));
        int pause = Integer.parseInt(o.getOrDefault("pause", "3"));
        Path out = Path.of(o.getOrDefault("out", "."));
        Files.createDirectories(out);

        List<Target> targets = new ArrayList<>();
        Map<String, ArrayBlockingQueue<User>> pools = new HashMap<>();
        Map<String, Long> pids = new HashMap<>();
        if (o.containsKey("palisade")) {
            Target t = new Palisade(o.get("palisade"));
            targets.add(t);
            pools.put(t.name(), queue(readUsers(Path.of(o.get("palisadeUsers")), true)));
            pids.put(t.name(), Long.parseLong(o.getOrDefault("palisadePid", "0")));
        }
        if (o.containsKey("keycloak")) {
            Target t = new Keycloak(o.get("keycloak"));
            targets.add(t);
            pools.put(t.name(), queue(readUsers(Path.of(o.get("keycloakUsers")), false)));
            pids.put(t.name(), Long.parseLong(o.getOrDefault("keycloakPid", "0")));
        }

        // Smoke test: one full sign-in + refresh each, so a set-up error fails fast and clearly.
        for (Target t : targets) {
            ArrayBlockingQueue<User> pool = pools.get(t.name());
            User u = take(pool, new Recorder());
            try {
                t.refresh(t.signIn(u, currentStep()));
            } catch (Exception e) {
                System.err.println("FAILED: smoke test of " + t.name() + ": " + e.getMessage());
                return 1;
            } finally {
                pool.put(u);
            }
            System.out.println("smoke test passed: " + t.name() + " (password + TOTP sign-in, refresh)");
        }
        for (Target t : targets) {
            int c = concurrency[concurrency.length - 1];
            System.out.printf("warm-up: %s, %d clients, %d s (not counted)%n", t.name(), c, warmup);
            Phase w = phase(t, pools.get(t.name()), c, 0, warmup, pids.get(t.name()), false);
            System.out.printf(Locale.ROOT, "  warm-up %s: %.1f logins/s, server CPU %.1f ms/login, %d errors%s%n", t.name(),
                    w.loginsPerSecond(), w.signIns() == 0 ? Double.NaN : w.serverCpuSeconds() * 1000 / w.signIns(), w.errors(),
                    w.errors() > 0 ? " " + w.errorDetail() : "");
        }

        List<Phase> phases = new ArrayList<>();
        StringBuilder raw = new StringBuilder("target,concurrency,rep,seconds,signIns,loginsPerSec,signInP50ms,signInP99ms,"
                + "refreshes,refreshesPerSec,refreshP50ms,refreshP99ms,errors,starvedMs,serverCpuSec,serverCpuMsPerLogin,machineBusyCores\n");
        for (int rep = 1; rep <= reps; rep++) {
            for (int c : concurrency) {
                List<Target> order = new ArrayList<>(targets);
                if (rep % 2 == 0) {
                    java.util.Collections.reverse(order); // alternate who goes first: drift on a shared machine hits both
                }
                for (Target t : order) {
                    Thread.sleep(pause * 1000L);
                    Phase p = phase(t, pools.get(t.name()), c, rep, duration, pids.get(t.name()), true);
                    phases.add(p);
                    String line = String.format(Locale.ROOT, "%s,%d,%d,%.0f,%d,%.2f,%.1f,%.1f,%d,%.2f,%.1f,%.1f,%d,%d,%.2f,%.1f,%.2f",
                            p.target(), p.concurrency(), p.rep(), p.seconds(), p.signIns(), p.loginsPerSecond(), p.signInP50(),
                            p.signInP99(), p.refreshes(), p.refreshesPerSecond(), p.refreshP50(), p.refreshP99(), p.errors(),
                            p.starvedMs(), p.serverCpuSeconds(), p.signIns() == 0 ? Double.NaN : p.serverCpuSeconds() * 1000 / p.signIns(),
                            p.machineBusyCores());
                    raw.append(line).append('\n');
                    System.out.printf(Locale.ROOT, "rep %d  c=%-3d %-9s %7.2f logins/s  sign-in p50 %7.1f ms p99 %7.1f ms | %7.2f refreshes/s p99 %6.1f ms | errors %d, starved %d ms, server CPU %.1f s, machine busy %.2f cores%n",
                            rep, c, p.target(), p.loginsPerSecond(), p.signInP50(), p.signInP99(), p.refreshesPerSecond(),
                            p.refreshP99(), p.errors(), p.starvedMs(), p.serverCpuSeconds(), p.machineBusyCores());
                    if (p.errors() > 0) {
                        System.out.println("    errors: " + p.errorDetail());
                    }
                    Files.writeString(out.resolve("raw.csv"), raw);
                }
            }
        }

        // Medians over the repetitions, and the Palisade/Keycloak ratio.
        StringBuilder table = new StringBuilder();
        table.append("| clients | system | logins/s | sign-in p50 ms | sign-in p99 ms | refreshes/s | refresh p99 ms | server CPU ms/login |\n");
        table.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, double[]> med = new LinkedHashMap<>();
        for (int c : concurrency) {
            for (Target t : targets) {
                List<Phase> ps = phases.stream().filter(p -> p.concurrency() == c && p.target().equals(t.name())).toList();
                double[] m = {
                        median(ps.stream().mapToDouble(Phase::loginsPerSecond).toArray()),
                        median(ps.stream().mapToDouble(Phase::signInP50).toArray()),
                        median(ps.stream().mapToDouble(Phase::signInP99).toArray()),
                        median(ps.stream().mapToDouble(Phase::refreshesPerSecond).toArray()),
                        median(ps.stream().mapToDouble(Phase::refreshP99).toArray()),
                        median(ps.stream().mapToDouble(p -> p.signIns() == 0 ? Double.NaN : p.serverCpuSeconds() * 1000 / p.signIns()).toArray()) };
                med.put(t.name() + "@" + c, m);
                table.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f |%n", c, t.name(), m[0], m[1],
                        m[2], m[3], m[4], m[5]));
            }
            double[] p = med.get("palisade@" + c);
            double[] k = med.get("keycloak@" + c);
            if (p != null && k != null) {
                table.append(String.format(Locale.ROOT, "| %d | **Palisade/Keycloak** | **%.2f** | %.2f | %.2f | **%.2f** | %.2f | %.2f |%n", c,
                        p[0] / k[0], p[1] / k[1], p[2] / k[2], p[3] / k[3], p[4] / k[4], p[5] / k[5]));
            }
        }
        Files.writeString(out.resolve("summary.md"), table);
        System.out.println();
        System.out.println("Medians of " + reps + " repetitions (" + duration + " s each):");
        System.out.print(table);
        long totalErrors = phases.stream().mapToLong(Phase::errors).sum();
        long starved = phases.stream().mapToLong(Phase::starvedMs).sum();
        if (starved > 0) {
            System.out.println("WARNING: clients waited " + starved + " ms in total for a user free to sign in: seed more users");
        }
        if (totalErrors > 0) {
            System.out.println("FAILED: " + totalErrors + " requests failed (see above)");
            return 1;
        }
        return 0;
    }

    static ArrayBlockingQueue<User> queue(List<User> users) {
        ArrayBlockingQueue<User> q = new ArrayBlockingQueue<>(users.size());
        q.addAll(users);
        return q;
    }

    static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
