package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DemoMediaTest {

    private final DemoMedia media = DemoMedia.fromClasspath();

    @Test
    void theManifestDescribesAnEightSegmentLoopInTwoRenditions() {
        assertThat(media.segmentCount()).isEqualTo(8);
        assertThat(media.segmentDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(media.renditions()).extracting(Rendition::name).containsExactly("180p", "360p");
        assertThat(media.renditions()).extracting(Rendition::resolution).containsExactly("320x180", "640x360");
        assertThat(media.renditions()).allSatisfy(r -> {
            assertThat(r.codecs()).isEqualTo("avc1.4d401e,mp4a.40.2");
            assertThat(r.bandwidth()).isBetween(50_000L, 400_000L);
        });
    }

    @Test
    void everySegmentIsAnMpegTsInBothVariantsThatDifferAndTheWholeStaysSmall() {
        long total = 0;
        for (Rendition rendition : media.renditions()) {
            for (int i = 0; i < media.segmentCount(); i++) {
                byte[] a = media.segment(rendition.name(), Variant.A, i);
                byte[] b = media.segment(rendition.name(), Variant.B, i);
                for (byte[] ts : new byte[][] {a, b}) {
                    assertThat(ts.length % 188).as("whole TS packets").isZero();
                    assertThat(ts[0]).as("TS sync byte").isEqualTo((byte) 0x47);
                    // Peak bit rate announced as BANDWIDTH covers every segment.
                    assertThat(ts.length * 8L / 2).isLessThanOrEqualTo(rendition.bandwidth());
                    total += ts.length;
                }
                assertThat(a).as("%s segment %d: A and B", rendition.name(), i).isNotEqualTo(b);
            }
        }
        assertThat(total).as("committed media bytes").isLessThan(1_500_000);
    }
}
