package dev.palisade.entitlement.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Commercial DRM vendors behind the licence proxy ({@code palisade.entitlement.drm.vendors.<name>.*}). Each gets
 * licence challenges forwarded with a signed entitlement message in the style of Axinom DRM's
 * {@code X-AxDRM-Message}: an HS256 JWT under the communication key shared with the vendor.
 */
@ConfigMapping(prefix = "palisade.entitlement.drm")
public interface DrmConfig {

    Map<String, Vendor> vendors();

    interface Vendor {
        /** The vendor's licence acquisition URL (Widevine/PlayReady/FairPlay licence service). */
        String url();

        /** Id of the communication key, as registered with the vendor. */
        String communicationKeyId();

        /** The communication key (base64, at least 32 bytes) that signs entitlement messages. */
        String communicationKey();

        /** Request header carrying the entitlement message. */
        @WithDefault("X-AxDRM-Message")
        String header();

        /** Licence duration the message allows (live: short, renewed with the session). */
        @WithDefault("2H")
        Duration licenceDuration();

        /** Lifetime of one entitlement message (it is made per request). */
        @WithDefault("60S")
        Duration messageTtl();

        @WithDefault("5S")
        Duration timeout();

        /** Largest licence challenge forwarded. */
        @WithDefault("65536")
        int maxChallengeBytes();

        Optional<String> contentKeyUsagePolicy();
    }
}
