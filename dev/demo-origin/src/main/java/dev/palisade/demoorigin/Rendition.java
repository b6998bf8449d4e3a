package dev.palisade.demoorigin;

/**
 * One rendition of the demo channel, as announced in the multivariant playlist.
 *
 * @param name       path segment and label, e.g. {@code 180p}
 * @param bandwidth  peak bit rate in bit/s ({@code BANDWIDTH})
 * @param resolution {@code WIDTHxHEIGHT} ({@code RESOLUTION})
 * @param codecs     RFC 6381 codec list ({@code CODECS})
 */
public record Rendition(String name, long bandwidth, String resolution, String codecs) {
}
