package dev.palisade.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The transactional outbox relay. */
@ConfigMapping(prefix = "palisade.outbox")
public interface OutboxConfig {

    /** How often the relay looks for unpublished events (a Quarkus duration or {@code 500ms}). */
    @WithDefault("500ms")
    String pollInterval();

    /** The most events relayed in one poll, oldest first. */
    @WithDefault("100")
    int batchSize();
}
