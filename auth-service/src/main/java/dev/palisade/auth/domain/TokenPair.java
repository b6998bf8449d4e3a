package dev.palisade.auth.domain;

/** What a completed sign-in or refresh hands the client. */
public record TokenPair(String accessToken, long expiresInSeconds, String refreshToken, String sessionId, String acr) {
}
