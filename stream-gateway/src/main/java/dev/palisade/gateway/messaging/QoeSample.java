package dev.palisade.gateway.messaging;

import java.util.List;
import java.util.Map;

/**
 * {@code qoe.sample}: one channel's quality of experience over one interval, aggregated from players' CMCD data and the
 * gateway's own observations (start-up time: first playlist to first segment of a session; errors: requests answered
 * with an error).
 */
public record QoeSample(String channelId, String from, String to, long requests, long cmcdRequests, long sessions, long startups,
        Distribution startupTimeMs, long bufferStarvations, Distribution bitrateKbps, Distribution throughputKbps,
        Distribution bufferLengthMs, long errors, List<Map<String, String>> samples, String at) {

    /** Percentiles of a measured quantity (null when nothing was measured). */
    public record Distribution(long count, Double p10, Double p50, Double p90) {
    }
}
