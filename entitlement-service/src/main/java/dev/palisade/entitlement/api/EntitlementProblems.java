package dev.palisade.entitlement.api;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The RFC 9457 problems entitlement-service answers with; each has a stable {@code type}. */
public final class EntitlementProblems {

    private static final String BASE = "https://palisade.dev/problems/";

    private EntitlementProblems() {
    }

    public static HttpProblem notFound(String what) {
        return HttpProblem.builder().withType(URI.create(BASE + "not-found")).withTitle("Not Found")
                .withStatus(Response.Status.NOT_FOUND).withDetail(what + " does not exist.").build();
    }

    /** Playback refused: {@code not_entitled}, {@code channel_not_in_plan} (403) or {@code too_many_streams} (409). */
    public static HttpProblem playbackDenied(String reason, int limit) {
        return switch (reason) {
            case "too_many_streams" -> HttpProblem.builder().withType(URI.create(BASE + "too-many-streams"))
                    .withTitle("Too many streams").withStatus(Response.Status.CONFLICT)
                    .withDetail("Your plan allows " + limit + " simultaneous stream" + (limit == 1 ? "" : "s")
                            + ". Stop one to start another.")
                    .with("limit", limit).build();
            case "channel_not_in_plan" -> HttpProblem.builder().withType(URI.create(BASE + "channel-not-in-plan"))
                    .withTitle("Channel not in your plan").withStatus(Response.Status.FORBIDDEN)
                    .withDetail("This channel is not part of your subscription.").build();
            default -> HttpProblem.builder().withType(URI.create(BASE + "not-entitled")).withTitle("No active subscription")
                    .withStatus(Response.Status.FORBIDDEN).withDetail("There is no active subscription on this account.").build();
        };
    }

    public static HttpProblem sessionEnded(String reason) {
        return HttpProblem.builder().withType(URI.create(BASE + "playback-session-ended")).withTitle("Playback session ended")
                .withStatus(Response.Status.GONE).withDetail("The playback session has ended (" + reason + "). Start a new one.")
                .with("reason", reason).build();
    }

    /** A problem of type {@code https://palisade.dev/problems/<type>}. */
    public static HttpProblem of(Response.Status status, String type, String title, String detail) {
        return HttpProblem.builder().withType(URI.create(BASE + type)).withTitle(title).withStatus(status).withDetail(detail).build();
    }

    public static HttpProblem conflict(String type, String title, String detail) {
        return of(Response.Status.CONFLICT, type, title, detail);
    }

    public static HttpProblem invalid(String field, String message) {
        return HttpProblem.builder().withType(URI.create(BASE + "invalid-request")).withTitle("Invalid request")
                .withStatus(Response.Status.BAD_REQUEST).withDetail(field + " " + message).with("field", field).build();
    }
}
