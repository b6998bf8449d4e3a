package dev.palisade.entitlement.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Programme guide (XMLTV) import and export. */
@ConfigMapping(prefix = "palisade.epg")
public interface EpgConfig {

    /** Most programmes one import may hold (a week of 500 channels is about 150,000). */
    @WithDefault("500000")
    int maxProgrammes();

    /** Largest guide fetched from a URL (bytes, after gzip decompression). */
    @WithDefault("268435456")
    long maxFetchBytes();

    @WithDefault("60S")
    Duration fetchTimeout();

    /** Default export window: from this long ago... */
    @WithDefault("6H")
    Duration exportPast();

    /** ...to this far ahead. */
    @WithDefault("7D")
    Duration exportAhead();

    /** Programmes that ended longer ago than this are deleted. */
    @WithDefault("14D")
    Duration retention();
}
