package dev.palisade.entitlement.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Content keys: how far back viewers may fetch keys, how long keys are kept, and the re-wrap job. */
@ConfigMapping(prefix = "palisade.entitlement.content-keys")
public interface ContentKeyConfig {

    /** Keys of periods that ended longer ago than this are not delivered to viewers (live, with a DVR window). */
    @WithDefault("6H")
    Duration pastWindow();

    /** Keys of periods that ended longer ago than this are deleted (CPIX exports of older periods are then refused). */
    @WithDefault("30D")
    Duration retention();

    /** How often keys still wrapped under an old key-encryption key are re-wrapped under the active one. */
    @WithDefault("1m")
    String rewrapInterval();

    /** Keys re-wrapped per transaction. */
    @WithDefault("200")
    int rewrapBatch();
}
