package dev.palisade.gateway.messaging;

/** {@code origin.failover}: a channel's serving origin changed ({@code reason}: error, timeout, frozen, recovered, ...). */
public record OriginFailover(String channelId, String from, String to, String reason, String at) {
}
