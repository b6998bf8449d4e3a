package dev.palisade.testsupport;

import java.nio.file.Path;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run in-process from
 * the {@code kafka_2.13} jars, or an already-running cluster named by its bootstrap servers.
 * <p>
 * The embedded broker keeps fixed ports, cluster id and log directory across {@link #stop()} and {@link #start()},
 * so a test can take Kafka away and bring it back with every record still there.
 */
public final class KafkaServer implements AutoCloseable {

    private final String bootstrapServers;
    private final int port;
    private final int controllerPort;
    private final Path logDirectory;
    private final String clusterId;
    private final int partitions;
    private EmbeddedKafkaBroker broker;

    private KafkaServer(String bootstrapServers, int port, int controllerPort, Path logDirectory, String clusterId,
            int partitions) {
        this.bootstrapServers = bootstrapServers;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDirectory = logDirectory;
        this.clusterId = clusterId;
        this.partitions = partitions;
    }

    /**
     * An embedded broker on 127.0.0.1:{@code port} (controller on {@code controllerPort}) keeping its log in
     * {@code logDirectory}. The cluster id is derived from the directory so a restart finds its own data.
     */
    public static KafkaServer embedded(int port, int controllerPort, Path logDirectory, int partitions) {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        Path idFile = logDirectory.resolve("palisade-cluster-id");
        try {
            java.nio.file.Files.createDirectories(logDirectory);
            if (java.nio.file.Files.exists(idFile)) {
                clusterId = java.nio.file.Files.readString(idFile).trim();
            } else {
                java.nio.file.Files.writeString(idFile, clusterId);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Kafka log directory " + logDirectory + " is not usable", e);
        }
        return new KafkaServer("127.0.0.1:" + port, port, controllerPort, logDirectory, clusterId, partitions);
    }

    /** A cluster that already runs elsewhere; it is never started or stopped from here. */
    public static KafkaServer external(String bootstrapServers) {
        return new KafkaServer(bootstrapServers, -1, -1, null, null, 0);
    }

    public boolean isEmbedded() {
        return logDirectory != null;
    }

    public synchronized boolean isRunning() {
        return !isEmbedded() || broker != null;
    }

    public synchronized KafkaServer start() {
        if (!isEmbedded() || broker != null) {
            return this;
        }
        Path data = logDirectory.resolve("data");
        broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", data.toString());
                    p.put("num.partitions", Integer.toString(partitions));
                    p.put("auto.create.topics.enable", "true");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.num.partitions", "5");
                    p.put("share.coordinator.state.topic.replication.factor", "1");
                    p.put("share.coordinator.state.topic.min.isr", "1");
                });
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker = null;
            throw new IllegalStateException("Kafka did not start on 127.0.0.1:" + port + " (controller " + controllerPort
                    + ", log " + data + "): " + e.getMessage(), e);
        }
        return this;
    }

    public synchronized void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.close();
        } finally {
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
