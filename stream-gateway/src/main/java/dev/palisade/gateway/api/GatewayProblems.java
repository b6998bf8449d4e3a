package dev.palisade.gateway.api;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import io.quarkiverse.resteasy.problem.HttpProblem;

/**
 * The RFC 9457 problems the gateway answers players with; each has a stable {@code type}. Every refusal also carries
 * a {@code reason} member (the metric label of {@code palisade_gateway_refusals_total}).
 */
public final class GatewayProblems {

    private static final String BASE = "https://palisade.dev/problems/";

    private GatewayProblems() {
    }

    private static HttpProblem.Builder problem(String type, String title, Response.Status status, String detail) {
        return HttpProblem.builder().withType(URI.create(BASE + type)).withTitle(title).withStatus(status).withDetail(detail)
                .with("reason", type);
    }

    public static HttpProblem tokenMissing() {
        return problem("playback-token-missing", "Playback token required", Response.Status.UNAUTHORIZED,
                "Pass the playback token from entitlement-service as ?token= or Authorization: Bearer.")
                .withHeader("WWW-Authenticate", "Bearer realm=\"palisade-playback\"").build();
    }

    public static HttpProblem tokenInvalid(String why) {
        return problem("playback-token-invalid", "Invalid playback token", Response.Status.UNAUTHORIZED, why)
                .withHeader("WWW-Authenticate", "Bearer realm=\"palisade-playback\", error=\"invalid_token\"").build();
    }

    public static HttpProblem tokenExpired() {
        return problem("playback-token-expired", "Playback token expired", Response.Status.UNAUTHORIZED,
                "The playback token has expired; renew it with a heartbeat and reload the playlist.")
                .withHeader("WWW-Authenticate", "Bearer realm=\"palisade-playback\", error=\"invalid_token\"").build();
    }

    public static HttpProblem wrongChannel(String channel) {
        return problem("channel-not-in-token", "Token not valid for this channel", Response.Status.FORBIDDEN,
                "The playback token does not open channel " + channel + ".").build();
    }

    public static HttpProblem wrongNetwork() {
        return problem("network-mismatch", "Token bound to another network", Response.Status.FORBIDDEN,
                "The playback token was issued to a client on another network.").build();
    }

    public static HttpProblem sessionRevoked() {
        return problem("session-revoked", "Playback session revoked", Response.Status.FORBIDDEN,
                "This playback session has been ended. Start a new one.").build();
    }

    public static HttpProblem segmentUrlInvalid() {
        return problem("segment-url-invalid", "Invalid segment URL", Response.Status.FORBIDDEN,
                "The segment URL is not signed for this session or was altered; reload the playlist.").build();
    }

    public static HttpProblem segmentUrlExpired() {
        return problem("segment-url-expired", "Segment URL expired", Response.Status.FORBIDDEN,
                "The segment URL has expired; reload the playlist.").build();
    }

    public static HttpProblem rateLimited(String scope, long retryAfterSeconds) {
        return problem("rate-limited", "Too many requests", Response.Status.TOO_MANY_REQUESTS,
                "Too many requests for this " + scope + "; retry after " + retryAfterSeconds + " s.")
                .with("scope", scope).withHeader("Retry-After", Long.toString(retryAfterSeconds)).build();
    }

    public static HttpProblem notFound(String what) {
        return HttpProblem.builder().withType(URI.create(BASE + "not-found")).withTitle("Not Found")
                .withStatus(Response.Status.NOT_FOUND).withDetail(what + " does not exist.").build();
    }

    public static HttpProblem originUnavailable(String channel) {
        return problem("origin-unavailable", "Stream unavailable", Response.Status.BAD_GATEWAY,
                "No origin of channel " + channel + " answered; retry shortly.").build();
    }

    public static HttpProblem upstreamUnavailable(String what) {
        return problem("upstream-unavailable", "Service unavailable", Response.Status.SERVICE_UNAVAILABLE,
                what + " is unavailable; retry shortly.").withHeader("Retry-After", "2").build();
    }

    public static HttpProblem invalid(String field, String message) {
        return HttpProblem.builder().withType(URI.create(BASE + "invalid-request")).withTitle("Invalid request")
                .withStatus(Response.Status.BAD_REQUEST).withDetail(field + " " + message).with("field", field).build();
    }
}
