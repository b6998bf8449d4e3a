package dev.palisade.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real clients the journey uses: oathtool as the authenticator app, ffmpeg as the player. */
final class Tools {

    private Tools() {
    }

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The TOTP code of {@code secret} (base32) for the time step {@code offsetSeconds} from now. */
    static String totp(String secret, int offsetSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("oathtool", "--totp", "-b", "-N", "now + " + offsetSeconds + " seconds", secret).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.matches("\\d{6}")) {
            throw new IllegalStateException("oathtool failed: " + out);
        }
        return out;
    }

    /** ffmpeg playing {@code url} as a player would (one program, decoded, discarded) for {@code seconds}. */
    static Process play(String url, int seconds, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning", "-stats",
                "-i", url, "-map", "0:p:0", "-t", Integer.toString(seconds), "-f", "null", "-"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
