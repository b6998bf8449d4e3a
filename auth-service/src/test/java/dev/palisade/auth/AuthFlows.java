package dev.palisade.auth;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Client-side steps of the sign-in journeys, over HTTP as an app would do them. */
final class AuthFlows {

    static final String PASSWORD = "correct horse battery staple 42";

    private AuthFlows() {
    }

    static String newEmail() {
        return "viewer-" + UUID.randomUUID() + "@example.org";
    }

    static void register(String email, String password) {
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/v1/accounts").then().statusCode(202);
    }

    static JsonPath login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .header("User-Agent", "PalisadeTest/1.0").header("X-Device-Id", "test-device")
                .post("/api/v1/login").then().statusCode(200).extract().jsonPath();
    }

    /** Registers and signs in with the password only. */
    static JsonPath newAccountSignedIn() {
        String email = newEmail();
        register(email, PASSWORD);
        JsonPath tokens = login(email, PASSWORD);
        return tokens;
    }

    static boolean oathtoolInstalled() {
        try {
            return new ProcessBuilder("oathtool", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The TOTP code an independent authenticator (oathtool) shows for a base32 secret at a time. */
    static String oathtool(String base32Secret, Instant at) {
        try {
            Process p = new ProcessBuilder("oathtool", "--totp", "-b", "-N", "@" + at.getEpochSecond(), base32Secret)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("oathtool failed: " + out);
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("oathtool could not run (apt-get install oathtool)", e);
        }
    }
}
