package dev.palisade.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OidcTestIssuerTest {

    OidcTestIssuer issuer = OidcTestIssuer.start();

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void discoveryNamesTheIssuerAndItsKeySet() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(issuer.issuerUrl() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains("\"issuer\":\"" + issuer.issuerUrl() + "\""), body);
        assertTrue(body.contains("\"jwks_uri\":\"" + issuer.issuerUrl() + "/protocol/openid-connect/certs\""), body);
    }

    @Test
    void mintedTokensCarryThePlatformClaimsAndVerifyAgainstThePublishedKeys() throws Exception {
        String token = issuer.token("account-7").groups("subscriber", "operator").aal2().sessionId("s-1").sign();
        JwtClaims claims = consumer().processToClaims(token);
        assertEquals("account-7", claims.getSubject());
        assertEquals("s-1", claims.getClaimValueAsString("sid"));
        assertEquals("aal2", claims.getClaimValueAsString("acr"));
        assertEquals(List.of("pwd", "otp"), claims.getStringListClaimValue("amr"));
        assertEquals(List.of("subscriber", "operator"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of(OidcTestIssuer.DEFAULT_AUDIENCE), claims.getAudience());
    }

    @Test
    void tokensOfThePreviousKeyStayValidAfterRotation() throws Exception {
        String before = issuer.token("a").sign();
        issuer.rotate();
        String after = issuer.token("a").sign();
        JwtConsumer consumer = consumer();
        consumer.processToClaims(before);
        consumer.processToClaims(after);
    }

    @Test
    void tokensSignedWithAnUnpublishedKeyDoNotVerify() {
        assertThrows(InvalidJwtException.class, () -> consumer().processToClaims(issuer.foreignKeyToken("a", "operator")));
    }

    private JwtConsumer consumer() {
        HttpsJwks jwks = new HttpsJwks(issuer.issuerUrl() + "/protocol/openid-connect/certs");
        return new JwtConsumerBuilder()
                .setExpectedIssuer(issuer.issuerUrl())
                .setExpectedAudience(OidcTestIssuer.DEFAULT_AUDIENCE)
                .setRequireExpirationTime()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .build();
    }
}
