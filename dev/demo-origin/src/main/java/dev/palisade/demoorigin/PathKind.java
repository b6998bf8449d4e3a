package dev.palisade.demoorigin;

/** What a request asked for, as counted in {@link RequestStats}. */
public enum PathKind {
    /** {@code /<channel>/master.m3u8} */
    MASTER_PLAYLIST("master_playlist"),
    /** {@code /<channel>/<rendition>/index.m3u8} */
    MEDIA_PLAYLIST("media_playlist"),
    /** {@code /<channel>/<rendition>/[A|B/]seg-<sequence>.ts} */
    SEGMENT("segment"),
    /** {@code /health} */
    HEALTH("health"),
    /** {@code /control/...} */
    CONTROL("control"),
    /** anything else */
    OTHER("other");

    private final String jsonName;

    PathKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The key of this kind in {@code GET /control/stats}. */
    public String jsonName() {
        return jsonName;
    }
}
