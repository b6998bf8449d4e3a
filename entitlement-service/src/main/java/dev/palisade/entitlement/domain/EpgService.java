package dev.palisade.entitlement.domain;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.entitlement.config.EpgConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The programme guide: XMLTV imports are parsed completely (streaming, on a worker thread) before anything is written,
 * then applied in one transaction: for every channel in the file, its programmes inside the file's time span for that
 * channel are replaced. A malformed file changes nothing.
 */
@ApplicationScoped
public class EpgService {

    private static final Logger LOG = Logger.getLogger(EpgService.class);
    private static final int BATCH = 2000;

    /** What an import did. {@code unmappedEpgIds}: guide channels no catalogue channel refers to (kept, not shown). */
    public record ImportResult(int channels, int programmes, long replaced, int inferredStops, List<String> unmappedEpgIds) {
    }

    /** What is on now and next on a channel (either may be null). */
    public record NowNext(String channelId, String epgId, Slot now, Slot next) {
    }

    public record Slot(String title, String subTitle, String category, Instant start, Instant stop) {
    }

    /** The source cannot be read (fetch failed, too large). */
    public static final class SourceUnavailable extends RuntimeException {
        public SourceUnavailable(String message) {
            super(message);
        }
    }

    private final Pool pool;
    private final Vertx vertx;
    private final EpgConfig config;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(java.time.Duration.ofSeconds(10)).build();

    EpgService(Pool pool, Vertx vertx, EpgConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
    }

    /** Parses an uploaded guide (plain or gzip) off the event loop and imports it. */
    public Uni<ImportResult> importBytes(byte[] body) {
        return vertx.executeBlocking(() -> Xmltv.read(maybeGzip(new java.io.ByteArrayInputStream(body), Long.MAX_VALUE), config.maxProgrammes()),
                false).chain(this::apply);
    }

    /** Fetches a guide from {@code url} (streamed into the parser, plain or gzip) and imports it. */
    public Uni<ImportResult> importUrl(URI url) {
        return vertx.executeBlocking(() -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(config.fetchTimeout()).header("Accept", "application/xml, text/xml, */*")
                    .GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new SourceUnavailable("Fetching " + url + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceUnavailable("Fetching " + url + " was interrupted");
            }
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new SourceUnavailable("Fetching " + url + " answered HTTP " + response.statusCode());
                }
                return Xmltv.read(maybeGzip(in, config.maxFetchBytes()), config.maxProgrammes());
            } catch (IOException e) {
                throw new SourceUnavailable("Reading " + url + " failed: " + e.getMessage());
            } catch (UncheckedIOException e) {
                throw new SourceUnavailable("Reading " + url + " failed: " + e.getCause().getMessage());
            }
        }, false).chain(this::apply);
    }

    private Uni<ImportResult> apply(Xmltv.Guide guide) {
        Map<String, Instant[]> spans = new HashMap<>();
        for (Xmltv.Programme p : guide.programmes()) {
            spans.merge(p.channel(), new Instant[] { p.start(), p.stop() }, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1] });
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Tuple> deletes = new ArrayList<>();
        spans.forEach((epgId, span) -> deletes.add(Tuple.of(epgId, utc(span[0]), utc(span[1]))));
        List<Tuple> inserts = new ArrayList<>(guide.programmes().size());
        for (Xmltv.Programme p : guide.programmes()) {
            inserts.add(Tuple.tuple(List.of(p.channel(), utc(p.start()), utc(p.stop()), p.title())).addString(p.subTitle())
                    .addString(p.description()).addString(p.category()).addString(p.episode()).addString(p.rating()).addString(p.icon())
                    .addOffsetDateTime(now));
        }
        List<Tuple> names = guide.channels().values().stream().map(c -> Tuple.of(c.id(), c.displayName(), c.icon())).toList();
        return pool.withTransaction(conn -> batches(conn, "DELETE FROM epg_programme WHERE epg_id = $1 AND starts_at < $3 AND ends_at > $2",
                deletes).chain(replaced -> batches(conn, """
                        INSERT INTO epg_programme (epg_id, starts_at, ends_at, title, sub_title, description, category, episode, rating,
                                                   icon_url, imported_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""", inserts)
                .chain(() -> batches(conn, """
                        INSERT INTO epg_channel (epg_id, display_name, icon_url) VALUES ($1, $2, $3)
                        ON CONFLICT (epg_id) DO UPDATE SET display_name = EXCLUDED.display_name, icon_url = EXCLUDED.icon_url""", names))
                .chain(() -> unmapped(conn, union(spans.keySet(), guide.channels().keySet())))
                .map(unmapped -> new ImportResult(guide.channels().size(), guide.programmes().size(), replaced, guide.inferredStops(), unmapped))))
                .invoke(r -> {
                    metrics.counter("palisade_epg_programmes_imported_total").increment(r.programmes());
                    LOG.infof("XMLTV import: %d channels, %d programmes (%d replaced, %d stops inferred), %d guide channels not in the catalogue",
                            r.channels(), r.programmes(), r.replaced(), r.inferredStops(), r.unmappedEpgIds().size());
                });
    }

    private static Set<String> union(Collection<String> a, Collection<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private Uni<List<String>> unmapped(SqlConnection conn, Set<String> epgIds) {
        if (epgIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("SELECT DISTINCT epg_id FROM channel WHERE epg_id = ANY($1)").execute(Tuple.of(epgIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> mapped = new TreeSet<>();
                    rows.forEach(r -> mapped.add(r.getString(0)));
                    return epgIds.stream().filter(id -> !mapped.contains(id)).sorted().toList();
                });
    }

    /** Runs a statement over tuples in batches, one after another; answers the rows affected. */
    private static Uni<Long> batches(SqlConnection conn, String sql, List<Tuple> tuples) {
        Uni<Long> chain = Uni.createFrom().item(0L);
        for (int from = 0; from < tuples.size(); from += BATCH) {
            List<Tuple> batch = tuples.subList(from, Math.min(tuples.size(), from + BATCH));
            chain = chain.chain(total -> conn.preparedQuery(sql).executeBatch(batch).map(rows -> {
                long n = 0;
                for (var r = rows; r != null; r = r.next()) {
                    n += r.rowCount();
                }
                return total + n;
            }));
        }
        return chain;
    }

    /** Now and next on each of the given channels (in the given order). */
    public Uni<List<NowNext>> nowNext(List<Channel> channels) {
        if (channels.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        String[] epgIds = channels.stream().map(EpgService::epgId).distinct().toArray(String[]::new);
        return pool.preparedQuery("""
                SELECT e.id,
                       n.title, n.sub_title, n.category, n.starts_at, n.ends_at,
                       x.title, x.sub_title, x.category, x.starts_at, x.ends_at
                FROM unnest($1::text[]) AS e(id)
                LEFT JOIN LATERAL (SELECT * FROM epg_programme p WHERE p.epg_id = e.id AND p.starts_at <= $2 AND p.ends_at > $2
                                   ORDER BY p.starts_at DESC, p.id DESC LIMIT 1) n ON true
                LEFT JOIN LATERAL (SELECT * FROM epg_programme p WHERE p.epg_id = e.id AND p.starts_at >= COALESCE(n.ends_at, $2)
                                   ORDER BY p.starts_at, p.id LIMIT 1) x ON true""").execute(Tuple.of(epgIds, now)).map(rows -> {
                    Map<String, Slot[]> byEpg = new HashMap<>();
                    for (Row r : rows) {
                        byEpg.put(r.getString(0), new Slot[] { slot(r, 1), slot(r, 6) });
                    }
                    return channels.stream().map(c -> {
                        Slot[] s = byEpg.getOrDefault(epgId(c), new Slot[2]);
                        return new NowNext(c.id, epgId(c), s[0], s[1]);
                    }).toList();
                });
    }

    /** Programmes of the given channels overlapping [from, to), by channel then start. */
    public Uni<List<Xmltv.Programme>> programmes(Collection<Channel> channels, Instant from, Instant to) {
        if (channels.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] epgIds = channels.stream().map(EpgService::epgId).distinct().toArray(String[]::new);
        return pool.preparedQuery("""
                SELECT epg_id, starts_at, ends_at, title, sub_title, description, category, episode, rating, icon_url
                FROM epg_programme WHERE epg_id = ANY($1) AND starts_at < $3 AND ends_at > $2 ORDER BY epg_id, starts_at, id""")
                .execute(Tuple.of(epgIds, utc(from), utc(to))).map(rows -> {
                    List<Xmltv.Programme> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Xmltv.Programme(r.getString(0), r.getOffsetDateTime(1).toInstant(), r.getOffsetDateTime(2).toInstant(),
                                r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9)));
                    }
                    return list;
                });
    }

    public Instant now() {
        return clock.instant();
    }

    public EpgConfig config() {
        return config;
    }

    /** The id a channel has in guides and playlists: its EPG id, or its own id when it has none. */
    public static String epgId(Channel c) {
        return c.epgId == null || c.epgId.isBlank() ? c.id : c.epgId;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> deleteOldProgrammes() {
        return pool.preparedQuery("DELETE FROM epg_programme WHERE ends_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(clock).minus(config.retention()))).invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Deleted %d programmes that ended more than %s ago", rows.rowCount(), config.retention());
                    }
                }).onFailure().invoke(e -> LOG.warnf("Deleting old programmes failed: %s", e.getMessage())).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static Slot slot(Row r, int first) {
        if (r.getString(first) == null) {
            return null;
        }
        return new Slot(r.getString(first), r.getString(first + 1), r.getString(first + 2), r.getOffsetDateTime(first + 3).toInstant(),
                r.getOffsetDateTime(first + 4).toInstant());
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** Reads gzip transparently (by its magic bytes) and refuses more than {@code limit} bytes. */
    static InputStream maybeGzip(InputStream raw, long limit) {
        try {
            BufferedInputStream in = new BufferedInputStream(raw);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            InputStream plain = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 65536) : in;
            return new Limited(plain, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new SourceUnavailable("The guide is larger than " + limit + " bytes");
            }
        }
    }
}
