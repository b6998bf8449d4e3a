package dev.palisade.billing;

import static dev.palisade.billing.BillingFlows.REQUIRES_ACTION;
import static dev.palisade.billing.BillingFlows.ROTATED_SECRET;
import static dev.palisade.billing.BillingFlows.SECRET;
import static dev.palisade.billing.BillingFlows.awaitStatus;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.gatewayPaymentId;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.postWebhook;
import static dev.palisade.billing.BillingFlows.sign;
import static dev.palisade.billing.BillingFlows.subscribe;
import static dev.palisade.billing.BillingFlows.subscription;
import static dev.palisade.billing.BillingFlows.webhookBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.palisade.billing.repository.WebhookEventRepository;
import dev.palisade.testsupport.ReactiveTransactions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Forged, stale, altered or replayed webhooks change nothing; a genuine one is applied exactly once. */
@QuarkusTest
class WebhookSecurityTest {

    static final String INVALID = "https://palisade.dev/problems/invalid-webhook-signature";

    @Inject
    WebhookEventRepository webhookEvents;

    /** A subscription whose first charge waits for customer action, so no webhook arrives until the test sends one. */
    record Pending(String account, String subscriptionId, String gatewayPaymentId) {
    }

    Pending pending() {
        String account = newAccount();
        Response created = subscribe(account, createPlan(990, 0, "MONTH"), REQUIRES_ACTION, key());
        created.then().statusCode(201).body("status", equalTo("INCOMPLETE"));
        return new Pending(account, created.path("id"), gatewayPaymentId(created.path("payment.nextActionUrl")));
    }

    @Test
    void unsignedStaleAlteredOrForgedWebhooksAreRefusedAndChangeNothing() {
        Pending p = pending();
        String eventId = "evt_" + UUID.randomUUID();
        String body = webhookBody(eventId, "payment.succeeded", p.gatewayPaymentId());
        Instant now = Instant.now();

        postWebhook("Palisade-Signature", null, body).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("type", equalTo(INVALID))
                .body("detail", equalTo("The webhook signature is missing."));
        postWebhook("Palisade-Signature", sign(SECRET, now.minusSeconds(400), body), body).then().statusCode(400)
                .body("detail", equalTo("The webhook signature is stale."));
        postWebhook("Palisade-Signature", sign(SECRET, now.plusSeconds(400), body), body).then().statusCode(400)
                .body("detail", equalTo("The webhook signature is stale."));
        String altered = body.replace("payment.succeeded", "payment.failed");
        postWebhook("Palisade-Signature", sign(SECRET, now, body), altered).then().statusCode(400)
                .body("detail", equalTo("The webhook signature is mismatch."));
        postWebhook("Palisade-Signature", sign("an-attacker-guessed-secret-of-enough-length", now, body), body).then()
                .statusCode(400).body("type", equalTo(INVALID));
        postWebhook("Palisade-Signature", "t=" + now.getEpochSecond() + ",v1=zz", body).then().statusCode(400)
                .body("detail", equalTo("The webhook signature is malformed."));
        // The timestamp is part of what is signed: moving it forward breaks the signature.
        String original = sign(SECRET, now.minusSeconds(600), body);
        String shifted = original.replace("t=" + now.minusSeconds(600).getEpochSecond(), "t=" + now.getEpochSecond());
        postWebhook("Palisade-Signature", shifted, body).then().statusCode(400);

        subscription(p.account(), p.subscriptionId()).then().body("status", equalTo("INCOMPLETE"))
                .body("payment", equalTo(null));
        assertThat(ReactiveTransactions.inSession(() -> webhookEvents.count(eventId))).isZero();
    }

    @Test
    void aGenuineWebhookIsAppliedOnceAndItsReplayIsIgnored() {
        Pending p = pending();
        String eventId = "evt_" + UUID.randomUUID();
        String body = webhookBody(eventId, "payment.succeeded", p.gatewayPaymentId());

        postWebhook("Palisade-Signature", sign(SECRET, Instant.now(), body), body).then().statusCode(200)
                .body("result", equalTo("processed"));
        awaitStatus(p.account(), p.subscriptionId(), "ACTIVE");
        String periodEnd = subscription(p.account(), p.subscriptionId()).path("currentPeriodEnd");

        // Replayed with a fresh, valid signature: acknowledged, not applied again.
        postWebhook("Palisade-Signature", sign(SECRET, Instant.now(), body), body).then().statusCode(200)
                .body("result", equalTo("duplicate"));
        // A contradicting event about the settled payment changes nothing either.
        String late = webhookBody("evt_" + UUID.randomUUID(), "payment.failed", p.gatewayPaymentId());
        postWebhook("Palisade-Signature", sign(SECRET, Instant.now(), late), late).then().statusCode(200);

        subscription(p.account(), p.subscriptionId()).then().body("status", equalTo("ACTIVE"))
                .body("currentPeriodEnd", equalTo(periodEnd));
        assertThat(ReactiveTransactions.inSession(() -> webhookEvents.count(eventId))).isEqualTo(1);
    }

    @Test
    void aSignatureWithTheRotatedSecretAndTheStripeHeaderIsAccepted() {
        Pending p = pending();
        String body = webhookBody("evt_" + UUID.randomUUID(), "payment.succeeded", p.gatewayPaymentId());
        String header = sign(ROTATED_SECRET, Instant.now(), body);
        postWebhook("Stripe-Signature", header, body).then().statusCode(200).body("result", equalTo("processed"));
        awaitStatus(p.account(), p.subscriptionId(), "ACTIVE");
    }

    @Test
    void aWebhookForAnUnknownPaymentIsNotRecordedSoTheGatewayRetriesIt() {
        String eventId = "evt_" + UUID.randomUUID();
        String body = webhookBody(eventId, "payment.succeeded", "sbx_pay_unknown");
        postWebhook("Palisade-Signature", sign(SECRET, Instant.now(), body), body).then().statusCode(404)
                .body("type", equalTo("https://palisade.dev/problems/unknown-payment"));
        assertThat(ReactiveTransactions.inSession(() -> webhookEvents.count(eventId))).isZero();
    }
}
