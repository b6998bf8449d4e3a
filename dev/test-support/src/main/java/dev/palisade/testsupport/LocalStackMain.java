package dev.palisade.testsupport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one infrastructure server of the local stack as a process, for {@code dev/up}:
 *
 * <pre>
 * postgres --port 5432 --data DIR --databases auth,billing
 * kafka    --port 9092 --controller-port 9093 --data DIR [--partitions 3]
 * s3       --port 9000 --data DIR --access-key KEY --secret-key SECRET
 * </pre>
 *
 * It prints {@code READY <what> <address>} once the server accepts connections, and stops it cleanly on
 * SIGTERM or SIGINT (the data stays). Bad arguments end it with exit code 2 and a message naming the problem.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            usage("no server named");
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        AutoCloseable server;
        String address;
        try {
            switch (args[0]) {
                case "postgres" -> {
                    PostgresServer pg = PostgresServer.embedded(port(options, "port"), path(options, "data")).start();
                    server = pg;
                    for (String db : options.getOrDefault("databases", "").split(",")) {
                        if (!db.isBlank()) {
                            pg.createDatabase(db.trim());
                        }
                    }
                    address = "127.0.0.1:" + pg.port();
                }
                case "kafka" -> {
                    KafkaServer kafka = KafkaServer.embedded(port(options, "port"), port(options, "controller-port"),
                            path(options, "data"), Integer.parseInt(options.getOrDefault("partitions", "3"))).start();
                    server = kafka;
                    address = kafka.bootstrapServers();
                }
                case "s3" -> {
                    S3Server s3 = new S3Server(port(options, "port"), path(options, "data"),
                            required(options, "access-key"), required(options, "secret-key")).start();
                    server = s3;
                    address = s3.endpoint();
                }
                default -> {
                    usage("unknown server '" + args[0] + "'");
                    return;
                }
            }
        } catch (RuntimeException e) {
            System.err.println("FAILED " + args[0] + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
                System.out.println("STOPPED " + args[0]);
            } catch (Exception e) {
                System.err.println("Stopping " + args[0] + " failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "local-stack-stop"));
        System.out.println("READY " + args[0] + " " + address);
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("expected '--name value' pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            usage("missing --" + name);
        }
        return value;
    }

    private static int port(Map<String, String> options, String name) {
        String value = required(options, name);
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            if (!FreePorts.isFree(port)) {
                System.err.println("FAILED: port " + port + " (--" + name + ") is already in use on 127.0.0.1");
                System.exit(1);
            }
            return port;
        } catch (NumberFormatException e) {
            usage("--" + name + " must be a port number, got '" + value + "'");
            return -1;
        }
    }

    private static Path path(Map<String, String> options, String name) {
        return Path.of(required(options, name)).toAbsolutePath();
    }

    private static void usage(String problem) {
        System.err.println("local stack: " + problem + "\nusage: LocalStackMain postgres|kafka|s3 --port N --data DIR [...]");
        System.exit(2);
    }
}
