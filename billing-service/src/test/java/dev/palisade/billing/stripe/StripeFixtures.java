package dev.palisade.billing.stripe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Stripe's objects as its API reference documents them (https://docs.stripe.com/api): PaymentMethod, Customer,
 * PaymentIntent, error bodies and Event, with the fields Stripe sends (not only those Palisade reads).
 */
public final class StripeFixtures {

    private StripeFixtures() {
    }

    public static String id(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** A card PaymentMethod; {@code customerJson} is null or an expanded Customer. */
    public static String paymentMethod(String id, String brand, String last4, String customerJson) {
        return """
                {
                  "id": "%s",
                  "object": "payment_method",
                  "allow_redisplay": "unspecified",
                  "billing_details": {
                    "address": {"city": null, "country": "DE", "line1": null, "line2": null, "postal_code": "10115", "state": null},
                    "email": "jenny.rosen@example.com",
                    "name": "Jenny Rosen",
                    "phone": null
                  },
                  "card": {
                    "brand": "%s",
                    "checks": {"address_line1_check": null, "address_postal_code_check": "pass", "cvc_check": "pass"},
                    "country": "US",
                    "display_brand": "%s",
                    "exp_month": 12,
                    "exp_year": 2034,
                    "fingerprint": "Xt5EWLLDS7FJjR1c",
                    "funding": "credit",
                    "generated_from": null,
                    "last4": "%s",
                    "networks": {"available": ["%s"], "preferred": null},
                    "regulated_status": "unregulated",
                    "three_d_secure_usage": {"supported": true},
                    "wallet": null
                  },
                  "created": %d,
                  "customer": %s,
                  "livemode": false,
                  "metadata": {},
                  "type": "card"
                }
                """.formatted(id, brand, brand, last4, brand, Instant.now().getEpochSecond(),
                customerJson == null ? "null" : customerJson);
    }

    public static String customer(String id, String accountId) {
        return """
                {
                  "id": "%s",
                  "object": "customer",
                  "address": null,
                  "balance": 0,
                  "created": %d,
                  "currency": null,
                  "default_source": null,
                  "delinquent": false,
                  "description": "Palisade account %s",
                  "email": null,
                  "invoice_prefix": "0759376C",
                  "invoice_settings": {"custom_fields": null, "default_payment_method": null, "footer": null, "rendering_options": null},
                  "livemode": false,
                  "metadata": {"account_id": "%s"},
                  "name": null,
                  "next_invoice_sequence": 1,
                  "phone": null,
                  "preferred_locales": [],
                  "shipping": null,
                  "tax_exempt": "none",
                  "test_clock": null
                }
                """.formatted(id, Instant.now().getEpochSecond(), accountId, accountId);
    }

    /**
     * A PaymentIntent. {@code nextActionJson} and {@code lastPaymentErrorJson} are null or JSON objects;
     * {@code metadata} is what Palisade put on it.
     */
    public static String paymentIntent(String id, String status, long amount, String currency, String customer,
            String paymentMethod, Map<String, String> metadata, String nextActionJson, String lastPaymentErrorJson) {
        StringBuilder meta = new StringBuilder("{");
        metadata.forEach((k, v) -> meta.append(meta.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        meta.append('}');
        return """
                {
                  "id": "%s",
                  "object": "payment_intent",
                  "amount": %d,
                  "amount_capturable": 0,
                  "amount_details": {"tip": {}},
                  "amount_received": %d,
                  "application": null,
                  "application_fee_amount": null,
                  "automatic_payment_methods": null,
                  "canceled_at": null,
                  "cancellation_reason": null,
                  "capture_method": "automatic",
                  "client_secret": "%s_secret_Ypy7Qj5NJAZ2nRwl4Fhe3dNnE",
                  "confirmation_method": "automatic",
                  "created": %d,
                  "currency": "%s",
                  "customer": %s,
                  "description": "Palisade invoice",
                  "last_payment_error": %s,
                  "latest_charge": "%s",
                  "livemode": false,
                  "metadata": %s,
                  "next_action": %s,
                  "on_behalf_of": null,
                  "payment_method": "%s",
                  "payment_method_configuration_details": null,
                  "payment_method_options": {"card": {"installments": null, "mandate_options": null, "network": null, "request_three_d_secure": "automatic"}},
                  "payment_method_types": ["card"],
                  "processing": null,
                  "receipt_email": null,
                  "review": null,
                  "setup_future_usage": null,
                  "shipping": null,
                  "source": null,
                  "statement_descriptor": null,
                  "statement_descriptor_suffix": null,
                  "status": "%s",
                  "transfer_data": null,
                  "transfer_group": null
                }
                """.formatted(id, amount, "succeeded".equals(status) ? amount : 0, id, Instant.now().getEpochSecond(),
                currency, customer == null ? "null" : "\"" + customer + "\"",
                lastPaymentErrorJson == null ? "null" : lastPaymentErrorJson, id.replace("pi_", "ch_"), meta,
                nextActionJson == null ? "null" : nextActionJson, paymentMethod, status);
    }

    /** {@code next_action} of a PaymentIntent that needs the customer's 3-D Secure step by redirect. */
    public static String redirectToUrl(String url) {
        return """
                {"type": "redirect_to_url", "redirect_to_url": {"return_url": "%s", "url": "%s"}}
                """.formatted(StripeTestProfile.RETURN_URL, url);
    }

    /** {@code last_payment_error} / {@code error} body of a declined card. */
    public static String cardError(String declineCode, String message, String paymentMethodId) {
        return """
                {
                  "charge": "ch_3PXj1mLkdIwHu7ix0Zt7bKcR",
                  "code": "card_declined",
                  "decline_code": "%s",
                  "doc_url": "https://docs.stripe.com/error-codes/card-declined",
                  "message": "%s",
                  "payment_method": {"id": "%s", "object": "payment_method", "type": "card"},
                  "request_log_url": "https://dashboard.stripe.com/test/logs/req_Lm8oJ2dW3pG1vW?t=1719834214",
                  "type": "card_error"
                }
                """.formatted(declineCode, message, paymentMethodId);
    }

    /** HTTP 402 body of a PaymentIntent confirmed with a card that was declined. */
    public static String declinedIntentError(String intentJson, String declineCode, String message, String paymentMethodId) {
        String error = cardError(declineCode, message, paymentMethodId);
        return "{\"error\": " + error.substring(0, error.lastIndexOf('}')) + ", \"payment_intent\": " + intentJson + "}}";
    }

    public static String invalidRequestError(String code, String message, String param) {
        return """
                {
                  "error": {
                    "code": "%s",
                    "doc_url": "https://docs.stripe.com/error-codes/resource-missing",
                    "message": "%s",
                    "param": "%s",
                    "request_log_url": "https://dashboard.stripe.com/test/logs/req_Pn7w0rT3xEvC1a?t=1719834214",
                    "type": "invalid_request_error"
                  }
                }
                """.formatted(code, message, param);
    }

    public static String apiError() {
        return """
                {"error": {"message": "An unknown error occurred", "request_log_url": "https://dashboard.stripe.com/test/logs/req_Q1w2e3r4t5y6u7?t=1719834214", "type": "api_error"}}
                """;
    }

    public static String invalidApiKey() {
        return """
                {"error": {"message": "Invalid API Key provided: sk_test_********0001", "type": "invalid_request_error"}}
                """;
    }

    /** An Event as Stripe posts it to a webhook endpoint. */
    public static String event(String type, String objectJson) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "%s",
                  "created": %d,
                  "data": {"object": %s},
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": null, "idempotency_key": null},
                  "type": "%s"
                }
                """.formatted(id("evt"), StripeTestProfile.API_VERSION, Instant.now().getEpochSecond(), objectJson, type);
    }

    /** Decodes a form-encoded request body, as Stripe reads it. */
    public static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
