package dev.palisade.demoorigin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The committed demo media (made by {@code dev/demo-origin/make-media.sh}), loaded once into memory from the
 * class path: {@code media/manifest.properties} and {@code media/<rendition>/<variant>/seg-<i>.ts}.
 */
public final class DemoMedia {

    /** Where the media live on the class path. */
    public static final String RESOURCE_ROOT = "/media/";

    private final int segmentCount;
    private final Duration segmentDuration;
    private final List<Rendition> renditions;
    /** rendition name, then variant, then loop index. */
    private final Map<String, Map<Variant, byte[][]>> segments;

    private DemoMedia(int segmentCount, Duration segmentDuration, List<Rendition> renditions,
            Map<String, Map<Variant, byte[][]>> segments) {
        this.segmentCount = segmentCount;
        this.segmentDuration = segmentDuration;
        this.renditions = List.copyOf(renditions);
        this.segments = segments;
    }

    /** Loads the media committed with this module; fails if any file is missing. */
    public static DemoMedia fromClasspath() {
        Properties manifest = new Properties();
        try (InputStream in = open("manifest.properties")) {
            manifest.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_ROOT + "manifest.properties", e);
        }
        int count = Integer.parseInt(required(manifest, "segment.count"));
        Duration duration = Duration.ofSeconds(Long.parseLong(required(manifest, "segment.duration.seconds")));
        List<Rendition> renditions = new ArrayList<>();
        Map<String, Map<Variant, byte[][]>> segments = new LinkedHashMap<>();
        for (String name : required(manifest, "renditions").split(",")) {
            String prefix = "rendition." + name + ".";
            renditions.add(new Rendition(name, Long.parseLong(required(manifest, prefix + "bandwidth")),
                    required(manifest, prefix + "resolution"), required(manifest, prefix + "codecs")));
            Map<Variant, byte[][]> byVariant = new EnumMap<>(Variant.class);
            for (Variant variant : Variant.values()) {
                byte[][] loop = new byte[count][];
                for (int i = 0; i < count; i++) {
                    String path = name + "/" + variant + "/seg-" + i + ".ts";
                    try (InputStream in = open(path)) {
                        loop[i] = in.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + RESOURCE_ROOT + path, e);
                    }
                }
                byVariant.put(variant, loop);
            }
            segments.put(name, byVariant);
        }
        return new DemoMedia(count, duration, renditions, segments);
    }

    private static InputStream open(String path) throws IOException {
        InputStream in = DemoMedia.class.getResourceAsStream(RESOURCE_ROOT + path);
        if (in == null) {
            throw new IOException("missing class path resource " + RESOURCE_ROOT + path);
        }
        return in;
    }

    private static String required(Properties manifest, String key) {
        String value = manifest.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE_ROOT + "manifest.properties lacks " + key);
        }
        return value.trim();
    }

    /** Number of segments in the loop. */
    public int segmentCount() {
        return segmentCount;
    }

    /** Duration of every segment. */
    public Duration segmentDuration() {
        return segmentDuration;
    }

    /** Renditions in the order of the multivariant playlist (lowest first). */
    public List<Rendition> renditions() {
        return renditions;
    }

    /** The rendition of that name, if there is one. */
    public Optional<Rendition> rendition(String name) {
        return renditions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * The bytes of one loop segment (shared, do not modify).
     *
     * @param loopIndex {@code 0 <= loopIndex < segmentCount()}
     */
    public byte[] segment(String rendition, Variant variant, int loopIndex) {
        Map<Variant, byte[][]> byVariant = segments.get(rendition);
        if (byVariant == null) {
            throw new IllegalArgumentException("no rendition " + rendition);
        }
        return byVariant.get(variant)[loopIndex];
    }
}
