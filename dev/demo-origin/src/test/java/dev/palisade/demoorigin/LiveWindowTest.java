package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class LiveWindowTest {

    private static final Duration D = Duration.ofSeconds(2);
    private final LiveWindow window = new LiveWindow(LiveWindow.EPOCH, D, 8, 6, 30);

    private static Instant at(long segment, long extraMillis) {
        return LiveWindow.EPOCH.plus(D.multipliedBy(segment)).plusMillis(extraMillis);
    }

    @Test
    void theLiveEdgeIsTheNewestCompleteSegment() {
        assertThat(window.liveEdge(at(1000, 0))).isEqualTo(999);
        assertThat(window.liveEdge(at(1000, 1999))).isEqualTo(999);
        assertThat(window.liveEdge(at(1001, 0))).isEqualTo(1000);
        assertThat(window.firstInWindow(at(1000, 500))).isEqualTo(994);
        assertThat(window.start(1000)).isEqualTo(at(1000, 0));
    }

    @Test
    void segmentsAreServedFromThirtyBehindTheEdgeToTheOneBeingProduced() {
        Instant now = at(1000, 700);
        assertThat(window.isServed(999, now)).isTrue();
        assertThat(window.isServed(970, now)).isTrue();
        assertThat(window.isServed(969, now)).isFalse();
        assertThat(window.isServed(1000, now)).as("the segment being produced (clock skew)").isTrue();
        assertThat(window.isServed(1001, now)).isFalse();
    }

    @Test
    void loopRestartsAreDiscontinuitiesCountedLikeRfc8216() {
        assertThat(window.loopIndex(1000)).isEqualTo(0);
        assertThat(window.loopIndex(1007)).isEqualTo(7);
        assertThat(window.startsLoop(1008)).isTrue();
        assertThat(window.startsLoop(1009)).isFalse();
        // The discontinuity sequence rises exactly when a segment carrying a discontinuity leaves the window.
        for (long first = 900; first < 1100; first++) {
            long removedTags = window.startsLoop(first) ? 1 : 0;
            assertThat(window.discontinuitySequence(first + 1))
                    .as("after removing segment %d", first)
                    .isEqualTo(window.discontinuitySequence(first) + removedTags);
        }
    }

    @Test
    void theMediaPlaylistIsAFunctionOfTheInstantOnly() {
        Instant now = at(123_456, 1_234);
        LiveWindow other = LiveWindow.of(DemoMedia.fromClasspath());
        assertThat(other.mediaPlaylist(now)).isEqualTo(window.mediaPlaylist(now));
        assertThat(window.mediaPlaylist(now)).isEqualTo(window.mediaPlaylist(at(123_456, 1_999)));
        assertThat(window.mediaPlaylist(now)).isNotEqualTo(window.mediaPlaylist(at(123_457, 0)));
    }

    @Test
    void theMediaPlaylistListsTheWindowWithDatesAndLoopRestarts() {
        // Edge 1003: the window is 998..1003 and segment 1000 restarts the loop.
        MediaPlaylist playlist = MediaPlaylist.parse(window.mediaPlaylist(at(1004, 10)));
        assertThat(playlist.version()).isEqualTo(3);
        assertThat(playlist.targetDuration()).isEqualTo(2);
        assertThat(playlist.mediaSequence()).isEqualTo(998);
        assertThat(playlist.discontinuitySequence()).isEqualTo(window.discontinuitySequence(998));
        assertThat(playlist.endList()).isFalse();
        assertThat(playlist.segments()).extracting(MediaPlaylist.Segment::uri).containsExactly(
                "seg-998.ts", "seg-999.ts", "seg-1000.ts", "seg-1001.ts", "seg-1002.ts", "seg-1003.ts");
        assertThat(playlist.segments()).extracting(MediaPlaylist.Segment::discontinuity)
                .containsExactly(false, false, true, false, false, false);
        assertThat(playlist.segments()).extracting(MediaPlaylist.Segment::duration).containsOnly(2.0);
        assertThat(playlist.segments()).extracting(MediaPlaylist.Segment::programDateTime)
                .containsExactly(at(998, 0), at(999, 0), at(1000, 0), at(1001, 0), at(1002, 0), at(1003, 0));
        assertThat(window.mediaPlaylist(at(1004, 10))).contains("#EXT-X-PROGRAM-DATE-TIME:"
                + "2020-01-01T00:33:16.000Z\n#EXTINF:2.000,\nseg-998.ts\n");
    }

    @Test
    void theMasterPlaylistListsEveryRendition() {
        String master = LiveWindow.masterPlaylist(List.of(
                new Rendition("180p", 112000, "320x180", "avc1.4d401e,mp4a.40.2"),
                new Rendition("360p", 179000, "640x360", "avc1.4d401e,mp4a.40.2")));
        assertThat(master).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=112000,RESOLUTION=320x180,CODECS="avc1.4d401e,mp4a.40.2"
                180p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=179000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"
                360p/index.m3u8
                """);
    }
}
