package dev.palisade.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.gateway.config.GatewayConfig;

/** The instance's A/B watermark pattern, keyed with {@code palisade.gateway.watermark.secret}. */
@ApplicationScoped
public class Watermarking {

    private static final Logger LOG = Logger.getLogger(Watermarking.class);

    private final WatermarkPattern pattern;

    Watermarking(GatewayConfig config) {
        byte[] secret;
        if (config.watermark().secret().isPresent() && !config.watermark().secret().get().isBlank()) {
            secret = config.watermark().secret().get().getBytes(StandardCharsets.UTF_8);
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LOG.warn("palisade.gateway.watermark.secret is not set: A/B patterns use a random key of this instance; captures"
                    + " cannot be traced after a restart nor across replicas");
        }
        this.pattern = new WatermarkPattern(secret);
    }

    public WatermarkPattern pattern() {
        return pattern;
    }

    public String variant(long watermarkId, long sequence) {
        return pattern.variant(watermarkId, sequence);
    }
}
