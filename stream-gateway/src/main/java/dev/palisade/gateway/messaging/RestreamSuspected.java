package dev.palisade.gateway.messaging;

/** {@code restream.suspected}: a playback session behaves like a restreaming source ({@code signal} says how). */
public record RestreamSuspected(String sessionId, String accountId, String channelId, String signal, String detail, String at) {
}
