package dev.palisade.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palisade.billing.security.WebhookSignature;
import dev.palisade.billing.security.WebhookSignature.Verdict;

/** Stripe-style signatures: t=timestamp, v1=HMAC-SHA256 hex of "t.body". */
class WebhookSignatureTest {

    static final String SECRET = "whsec_test_0123456789abcdef0123456789";
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void matchesAnIndependentlyComputedStripeSignature() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(), "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal("1800000000.{\"a\":1}".getBytes()));
        assertThat(WebhookSignature.sign(SECRET, NOW, "{\"a\":1}")).isEqualTo("t=1800000000,v1=" + expected);
    }

    @Test
    void acceptsAnyActiveSecretAndAnyOfSeveralV1Values() {
        String header = WebhookSignature.sign("old-secret-old-secret-old-secret-00", NOW, "body");
        assertThat(WebhookSignature.verify(header, "body", List.of("new-secret-new-secret-new-secret-00",
                "old-secret-old-secret-old-secret-00"), NOW, TOLERANCE)).isEqualTo(Verdict.VALID);
        String two = header + ",v1=" + "00".repeat(32);
        assertThat(WebhookSignature.verify(two, "body", List.of("old-secret-old-secret-old-secret-00"), NOW, TOLERANCE))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void refusesMissingMalformedStaleAndAltered() {
        String header = WebhookSignature.sign(SECRET, NOW, "body");
        List<String> secrets = List.of(SECRET);
        assertThat(WebhookSignature.verify(null, "body", secrets, NOW, TOLERANCE)).isEqualTo(Verdict.MISSING);
        assertThat(WebhookSignature.verify("v1=abc", "body", secrets, NOW, TOLERANCE)).isEqualTo(Verdict.MALFORMED);
        assertThat(WebhookSignature.verify("t=x,v1=00", "body", secrets, NOW, TOLERANCE)).isEqualTo(Verdict.MALFORMED);
        assertThat(WebhookSignature.verify("t=1800000000", "body", secrets, NOW, TOLERANCE)).isEqualTo(Verdict.MALFORMED);
        assertThat(WebhookSignature.verify(header, "body", secrets, NOW.plusSeconds(301), TOLERANCE)).isEqualTo(Verdict.STALE);
        assertThat(WebhookSignature.verify(header, "body", secrets, NOW.plusSeconds(300), TOLERANCE)).isEqualTo(Verdict.VALID);
        assertThat(WebhookSignature.verify(header, "body!", secrets, NOW, TOLERANCE)).isEqualTo(Verdict.MISMATCH);
        assertThat(WebhookSignature.verify(header, "body", List.of("another-secret"), NOW, TOLERANCE))
                .isEqualTo(Verdict.MISMATCH);
    }
}
