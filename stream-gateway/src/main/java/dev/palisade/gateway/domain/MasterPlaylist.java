package dev.palisade.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An origin's multivariant playlist, rewritten for one player: every rendition URI (a variant line, or the {@code URI}
 * attribute of {@code EXT-X-MEDIA}/{@code EXT-X-I-FRAME-STREAM-INF}) of the form {@code <rendition>/<name>.m3u8} is
 * replaced by what the rewriter returns; URIs of any other form are not served through the gateway and their entries
 * are left out.
 */
public final class MasterPlaylist {

    /** {@code <rendition>/<name>.m3u8}, both plain path segments. */
    public static final Pattern RENDITION_URI = Pattern.compile("^([A-Za-z0-9_-]+)/([A-Za-z0-9_.-]+\\.m3u8)$");
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");

    private MasterPlaylist() {
    }

    /** The rendition names (directories) the playlist lists, in order. */
    public static List<String> renditions(String text) {
        List<String> names = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                Matcher m = RENDITION_URI.matcher(line);
                if (m.matches() && !names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** Rewrites rendition URIs with {@code rewriter} (given {@code rendition/name.m3u8}). */
    public static String rewrite(String text, UnaryOperator<String> rewriter) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        String pendingStreamInf = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXT-X-STREAM-INF")) {
                pendingStreamInf = line;
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("#EXT-X-SESSION-KEY")) {
                    continue;
                }
                Matcher m = URI_ATTRIBUTE.matcher(line);
                if (m.find() && (line.startsWith("#EXT-X-MEDIA") || line.startsWith("#EXT-X-I-FRAME-STREAM-INF"))) {
                    if (!RENDITION_URI.matcher(m.group(1)).matches()) {
                        continue;
                    }
                    line = line.substring(0, m.start(1)) + rewriter.apply(m.group(1)) + line.substring(m.end(1));
                }
                out.append(line).append('\n');
                continue;
            }
            if (RENDITION_URI.matcher(line).matches()) {
                if (pendingStreamInf != null) {
                    out.append(pendingStreamInf).append('\n');
                }
                out.append(rewriter.apply(line)).append('\n');
            }
            pendingStreamInf = null;
        }
        return out.toString();
    }
}
