package dev.palisade.billing.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.billing.config.BillingConfig;

/**
 * The webhook signing secrets of each gateway ({@code palisade.billing.webhooks.secrets.<gateway>}). When none is
 * configured for the built-in sandbox, which signs its own webhooks in this process, a random secret is made at start
 * and lives only in memory; a real gateway without configured secrets has every webhook refused.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final String SANDBOX = "sandbox";
    private static final int MIN_LENGTH = 32;

    private final BillingConfig config;
    private final String ephemeralSandboxSecret;

    WebhookSecrets(BillingConfig config) {
        this.config = config;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.ephemeralSandboxSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        config.webhooks().secrets().forEach((gateway, secrets) -> {
            if (secrets.stream().anyMatch(s -> s.length() < MIN_LENGTH)) {
                throw new IllegalStateException("palisade.billing.webhooks.secrets." + gateway
                        + ": every secret needs at least " + MIN_LENGTH + " characters");
            }
        });
    }

    /** Every secret a signature of {@code gateway} may be made with (old and new during a rotation). */
    public List<String> accepted(String gateway) {
        List<String> configured = config.webhooks().secrets().get(gateway);
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        if (SANDBOX.equals(gateway)) {
            return List.of(ephemeralSandboxSecret);
        }
        LOG.warnf("No webhook secret configured for gateway %s: its webhooks are refused", gateway);
        return List.of();
    }

    /** The secret new signatures of {@code gateway} are made with: the first one listed. */
    public String signing(String gateway) {
        List<String> accepted = accepted(gateway);
        if (accepted.isEmpty()) {
            throw new IllegalStateException("No webhook secret for gateway " + gateway);
        }
        return accepted.get(0);
    }
}
