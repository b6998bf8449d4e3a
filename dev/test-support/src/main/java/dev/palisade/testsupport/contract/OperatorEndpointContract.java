package dev.palisade.testsupport.contract;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;

/**
 * Token checks every service gets from quarkus-oidc, against the test issuer's real signed tokens, on the operator
 * endpoint {@code GET /api/v1/ops/outbox}: anonymous 401, wrong role 403, expired, foreign-key and foreign-audience
 * tokens 401, key rotation picked up, unknown paths answered as problem documents.
 */
public abstract class OperatorEndpointContract {

    protected static final String OUTBOX = "/api/v1/ops/outbox";

    private final OidcTestIssuer issuer = TestInfrastructure.issuer();

    @Test
    void operatorSeesOutboxBacklog() {
        given().auth().oauth2(issuer.token("op-1").groups("operator").aal2().sign())
                .get(OUTBOX).then().statusCode(200).body("pendingEvents", greaterThanOrEqualTo(0));
    }

    @Test
    void anonymousCallerIsAskedToAuthenticate() {
        given().get(OUTBOX).then().statusCode(401);
    }

    @Test
    void subscriberIsForbidden() {
        given().auth().oauth2(issuer.token("acct-1").sign()).get(OUTBOX).then().statusCode(403);
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = issuer.token("op-1").groups("operator").aal2().issuedAgo(Duration.ofMinutes(30), Duration.ofMinutes(5)).sign();
        given().auth().oauth2(expired).get(OUTBOX).then().statusCode(401);
    }

    @Test
    void tokenSignedWithUnpublishedKeyIsRefused() {
        given().auth().oauth2(issuer.foreignKeyToken("op-1", "operator")).get(OUTBOX).then().statusCode(401);
    }

    @Test
    void unsignedTokenIsRefused() {
        given().auth().oauth2(OidcTestIssuer.unsignedToken(issuer.issuerUrl(), OidcTestIssuer.DEFAULT_AUDIENCE, "op-1", "operator"))
                .get(OUTBOX).then().statusCode(401);
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        given().auth().oauth2(issuer.token("op-1").groups("operator").audience("someone-else").sign()).get(OUTBOX).then().statusCode(401);
    }

    @Test
    void keyRotationIsPickedUpFromTheIssuer() {
        issuer.rotate();
        given().auth().oauth2(issuer.token("op-1").groups("operator").sign()).get(OUTBOX).then().statusCode(200);
    }

    @Test
    void unknownResourceIsAProblemDocument() {
        given().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(404)).body("title", equalTo("Not Found"));
    }
}
