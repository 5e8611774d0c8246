package io.flick.video.sound;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.flick.video.VideoEvent.SoundCreated;
import io.flick.video.fingerprint.AudioFingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sounds table and its fingerprint lookup, written only by {@link SoundsProjection} (the facts
 * are the VideoActors' {@code SoundCreated} and {@code ReuseSet}); read by the upload route (does
 * the chosen sound exist, may it be reused), the sound page and the transcode pipeline (which known
 * sound does this audio match). A sound's use count is its rows in the sound feed's index.
 */
public final class SoundCatalog {

  /** A sound as its page shows it; {@code title} is made by the API (it knows the handle). */
  public record Sound(
      String id,
      String authorId,
      String originalVideoId,
      long durationMs,
      Instant createdAt,
      boolean allowReuse) {}

  /**
   * A sound's title: the only kind of sound so far is a clip's own audio, titled after its author
   * ("original sound – @handle"). The API's sound page and video objects and the search documents
   * all show this one title.
   */
  public static String title(Optional<String> authorHandle) {
    return "original sound – @" + authorHandle.orElse("unknown");
  }

  /** Sub-fingerprints whose keys are indexed, and looked up (~15 s). */
  static final int KEY_FRAMES = 120;

  /** Key hits a candidate needs before its whole fingerprint is compared. */
  static final int MIN_KEY_HITS = 3;

  private static final int KEYS_PER_QUERY = 40;

  private final CqlSession cql;
  private final PreparedStatement insertSound;
  private final PreparedStatement insertKey;
  private final PreparedStatement setReuse;
  private final PreparedStatement select;
  private final PreparedStatement selectFingerprint;
  private final PreparedStatement selectKeys;
  private final PreparedStatement countUses;

  public SoundCatalog(CqlSession cql, String keyspace) {
    this.cql = cql;
    String ks = keyspace + ".";
    insertSound =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "sounds (sound_id, author_id, original_video_id, duration_ms, fingerprint,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?)");
    insertKey = cql.prepare("INSERT INTO " + ks + "sound_keys (key, sound_id) VALUES (?, ?)");
    setReuse = cql.prepare("UPDATE " + ks + "sounds SET allow_reuse = ? WHERE sound_id = ?");
    select =
        cql.prepare(
            "SELECT sound_id, author_id, original_video_id, duration_ms, created_at, allow_reuse"
                + " FROM "
                + ks
                + "sounds WHERE sound_id = ?");
    selectFingerprint = cql.prepare("SELECT fingerprint FROM " + ks + "sounds WHERE sound_id = ?");
    selectKeys = cql.prepare("SELECT key, sound_id FROM " + ks + "sound_keys WHERE key IN ?");
    countUses = cql.prepare("SELECT COUNT(*) FROM " + ks + "videos_by_sound WHERE sound_id = ?");
  }

  /** Records a new sound and its lookup keys (idempotent). */
  public CompletionStage<Void> created(SoundCreated e) {
    AudioFingerprint fp = AudioFingerprint.fromBase64(e.fingerprint());
    BatchStatementBuilder keys = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (int key : fp.keys(KEY_FRAMES)) {
      keys.addStatement(insertKey.bind(key, e.videoId()));
    }
    // the row last: a sound is found by key only once it can be compared
    CompletionStage<?> keysWritten =
        keys.getStatementsCount() == 0
            ? CompletableFuture.completedFuture(null)
            : cql.executeAsync(keys.build());
    return keysWritten
        .thenCompose(
            written ->
                cql.executeAsync(
                    insertSound.bind(
                        e.videoId(),
                        e.creatorId(),
                        e.videoId(),
                        e.durationMs(),
                        e.fingerprint(),
                        e.at())))
        .thenApply(rs -> null);
  }

  public CompletionStage<Void> reuse(String soundId, boolean allowed) {
    return cql.executeAsync(setReuse.bind(allowed, soundId)).thenApply(rs -> null);
  }

  public CompletionStage<Optional<Sound>> get(String soundId) {
    return cql.executeAsync(select.bind(soundId))
        .thenApply(
            rs -> {
              Row row = rs.one();
              if (row == null || row.getString("author_id") == null) {
                return Optional.<Sound>empty();
              }
              return Optional.of(
                  new Sound(
                      row.getString("sound_id"),
                      row.getString("author_id"),
                      row.getString("original_video_id"),
                      row.getLong("duration_ms"),
                      row.getInstant("created_at"),
                      row.isNull("allow_reuse") || row.getBoolean("allow_reuse")));
            });
  }

  /** How many READY videos play the sound (rows of the sound feed's index). */
  public CompletionStage<Long> useCount(String soundId) {
    return cql.executeAsync(countUses.bind(soundId)).thenApply(rs -> rs.one().getLong(0));
  }

  /**
   * The known sound this audio is, by {@link AudioFingerprint#matches}: candidates share at least
   * {@value #MIN_KEY_HITS} lookup keys, the closest matching one wins. Blocking-free; empty for
   * featureless audio.
   */
  public CompletionStage<Optional<String>> match(AudioFingerprint fp) {
    if (fp.isFeatureless()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<Integer> keys = new ArrayList<>(fp.keys(KEY_FRAMES));
    List<CompletableFuture<List<String>>> queries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += KEYS_PER_QUERY) {
      List<Integer> chunk = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_QUERY));
      queries.add(
          cql.executeAsync(selectKeys.bind(List.copyOf(chunk)))
              .thenCompose(rs -> all(rs, new ArrayList<>()))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new))
        .thenCompose(
            all -> {
              Map<String, Integer> hits = new HashMap<>();
              queries.forEach(q -> q.join().forEach(s -> hits.merge(s, 1, Integer::sum)));
              List<String> candidates =
                  hits.entrySet().stream()
                      .filter(h -> h.getValue() >= MIN_KEY_HITS)
                      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                      .limit(20)
                      .map(Map.Entry::getKey)
                      .toList();
              return closest(fp, candidates);
            });
  }

  private CompletionStage<Optional<String>> closest(AudioFingerprint fp, List<String> candidates) {
    List<CompletableFuture<Optional<Map.Entry<String, Double>>>> compared = new ArrayList<>();
    for (String id : candidates) {
      compared.add(
          cql.executeAsync(selectFingerprint.bind(id))
              .thenApply(
                  rs -> {
                    Row row = rs.one();
                    if (row == null || row.getString(0) == null) {
                      return Optional.<Map.Entry<String, Double>>empty();
                    }
                    AudioFingerprint known = AudioFingerprint.fromBase64(row.getString(0));
                    return fp.matches(known)
                        ? Optional.of(Map.entry(id, fp.bitErrorRate(known)))
                        : Optional.<Map.Entry<String, Double>>empty();
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(compared.toArray(CompletableFuture[]::new))
        .thenApply(
            all ->
                compared.stream()
                    .map(CompletableFuture::join)
                    .flatMap(Optional::stream)
                    .min(Comparator.comparingDouble(Map.Entry::getValue))
                    .map(Map.Entry::getKey));
  }

  private static CompletionStage<List<String>> all(AsyncResultSet rs, List<String> into) {
    for (Row row : rs.currentPage()) {
      into.add(row.getString("sound_id"));
    }
    return rs.hasMorePages()
        ? rs.fetchNextPage().thenCompose(next -> all(next, into))
        : CompletableFuture.completedFuture(into);
  }
}
