package dev.palisade.gateway.messaging;

/** {@code segment.error}: no origin could deliver a segment (or its key) to a player. */
public record SegmentError(String channelId, String rendition, long sequence, String reason, String at) {
}
