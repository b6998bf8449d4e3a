package dev.palisade.gateway.api;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.gateway.domain.PlaybackSessions;
import dev.palisade.gateway.domain.WatermarkDetector;
import dev.palisade.gateway.domain.WatermarkForensics;
import io.smallrye.mutiny.Uni;

/** Operators trace a pirate restream back to the playback session it was captured from. */
@Path("/api/v1/watermark")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WatermarkResource {

    /** A captured segment as seen on the pirate stream: clear bytes (base64), or the variant already identified. */
    public record CapturedSegment(@PositiveOrZero long sequence, String rendition, String object, String data,
            @Pattern(regexp = "A|B") String variant) {
    }

    /** A candidate session; when none are given, every session of the channel known to this gateway is a candidate. */
    public record CandidateSession(@NotBlank String sessionId, @NotNull @PositiveOrZero Long watermarkId, String accountId) {
    }

    public record DetectRequest(@NotBlank String channelId, String rendition, @NotNull @Valid List<CapturedSegment> segments,
            @Valid List<CandidateSession> candidates) {
    }

    public record Match(String sessionId, String accountId, long watermarkId, int matches) {
    }

    public record DetectResponse(boolean identified, double confidence, Match session, Match runnerUp, int observations,
            int unidentifiedSegments, int candidates, double logLikelihoodRatio, double falseMatchProbability) {
    }

    private final WatermarkForensics forensics;
    private final PlaybackSessions sessions;

    WatermarkResource(WatermarkForensics forensics, PlaybackSessions sessions) {
        this.forensics = forensics;
        this.sessions = sessions;
    }

    @POST
    @Path("/detect")
    @Operation(summary = "Name the session a captured restream comes from",
            description = "Captured clear segments (or their identified variants) with media sequence numbers; answers the most"
                    + " likely session with a confidence, the runner-up and the chance of a false match.")
    public Uni<DetectResponse> detect(@NotNull @Valid DetectRequest request) {
        List<WatermarkDetector.Candidate> candidates = new ArrayList<>();
        if (request.candidates() != null && !request.candidates().isEmpty()) {
            request.candidates().forEach(c -> candidates.add(new WatermarkDetector.Candidate(c.sessionId(), c.watermarkId(), c.accountId())));
        } else {
            sessions.sessions(request.channelId()).forEach(s -> candidates.add(
                    new WatermarkDetector.Candidate(s.sessionId(), s.watermarkId(), s.accountId())));
        }
        List<WatermarkDetector.Observation> given = new ArrayList<>();
        List<WatermarkForensics.Captured> captured = new ArrayList<>();
        for (CapturedSegment s : request.segments()) {
            if (s.variant() != null) {
                given.add(new WatermarkDetector.Observation(s.sequence(), "B".equals(s.variant())));
            } else if (s.data() != null) {
                String rendition = s.rendition() != null ? s.rendition() : request.rendition();
                if (rendition == null) {
                    throw GatewayProblems.invalid("segments[].rendition", "is needed to compare captured bytes");
                }
                byte[] data;
                try {
                    data = Base64.getDecoder().decode(s.data());
                } catch (IllegalArgumentException e) {
                    throw GatewayProblems.invalid("segments[].data", "must be base64");
                }
                captured.add(new WatermarkForensics.Captured(s.sequence(), rendition, s.object(), data));
            } else {
                throw GatewayProblems.invalid("segments[]", "needs data or variant");
            }
        }
        return forensics.detect(request.channelId(), candidates, given, captured).map(v -> {
            WatermarkDetector.Result r = v.result();
            return new DetectResponse(r.identified(), r.confidence(), match(r.best(), r.matches()), match(r.runnerUp(), r.runnerUpMatches()),
                    r.observations(), v.unidentified(), r.candidates(), finite(r.logLikelihoodRatio()), r.falseMatchProbability());
        });
    }

    private static Match match(WatermarkDetector.Candidate c, int matches) {
        return c == null ? null : new Match(c.sessionId(), c.accountId(), c.watermarkId(), matches);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }
}
