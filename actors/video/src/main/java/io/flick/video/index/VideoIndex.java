package io.flick.video.index;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.flick.video.VideoSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READY videos by hashtag and by sound, newest first, for the hashtag and sound feeds. Written once
 * a video is READY (idempotent); a deleted video stays in the index and is filtered out when a page
 * is read (its entity answers "gone"). The cursor is "epochMillis:videoId".
 */
public final class VideoIndex {
  /** A page of video ids and where the next page starts. */
  public record Page(List<String> ids, Optional<String> next) {}

  private final CqlSession cql;
  private final PreparedStatement insertTag;
  private final PreparedStatement insertSound;
  private final PreparedStatement firstTag;
  private final PreparedStatement nextTag;
  private final PreparedStatement firstSound;
  private final PreparedStatement nextSound;

  public VideoIndex(CqlSession cql, String keyspace) {
    this.cql = cql;
    String ks = keyspace + ".";
    insertTag =
        cql.prepare(
            "INSERT INTO " + ks + "videos_by_tag (tag, created_at, video_id) VALUES (?, ?, ?)");
    insertSound =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "videos_by_sound (sound_id, created_at, video_id) VALUES (?, ?, ?)");
    firstTag =
        cql.prepare(
            "SELECT created_at, video_id FROM " + ks + "videos_by_tag WHERE tag = ? LIMIT ?");
    nextTag =
        cql.prepare(
            "SELECT created_at, video_id FROM "
                + ks
                + "videos_by_tag WHERE tag = ?"
                + " AND (created_at, video_id) < (?, ?) LIMIT ?");
    firstSound =
        cql.prepare(
            "SELECT created_at, video_id FROM "
                + ks
                + "videos_by_sound WHERE sound_id = ? LIMIT ?");
    nextSound =
        cql.prepare(
            "SELECT created_at, video_id FROM "
                + ks
                + "videos_by_sound WHERE sound_id = ?"
                + " AND (created_at, video_id) < (?, ?) LIMIT ?");
  }

  public CompletionStage<Void> index(VideoSummary video) {
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (String tag : video.hashtags()) {
      batch.addStatement(insertTag.bind(tag, video.createdAt(), video.id()));
    }
    video
        .soundId()
        .ifPresent(
            sound -> batch.addStatement(insertSound.bind(sound, video.createdAt(), video.id())));
    if (batch.getStatementsCount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return cql.executeAsync(batch.build()).thenApply(rs -> null);
  }

  public CompletionStage<Page> byHashtag(String tag, Optional<String> cursor, int limit) {
    return page(firstTag, nextTag, tag, cursor, limit);
  }

  public CompletionStage<Page> bySound(String soundId, Optional<String> cursor, int limit) {
    return page(firstSound, nextSound, soundId, cursor, limit);
  }

  private CompletionStage<Page> page(
      PreparedStatement first,
      PreparedStatement next,
      String key,
      Optional<String> cursor,
      int limit) {
    var statement =
        cursor
            .map(
                c -> {
                  int colon = c.indexOf(':');
                  try {
                    Instant at = Instant.ofEpochMilli(Long.parseLong(c.substring(0, colon)));
                    return next.bind(key, at, c.substring(colon + 1), limit);
                  } catch (RuntimeException e) {
                    throw new IllegalArgumentException("not a feed cursor: " + c);
                  }
                })
            .orElseGet(() -> first.bind(key, limit));
    return cql.executeAsync(statement)
        .thenApply(
            rs -> {
              List<String> ids = new ArrayList<>();
              Row last = null;
              for (Row row : rs.currentPage()) {
                ids.add(row.getString("video_id"));
                last = row;
              }
              Optional<String> nextCursor =
                  ids.size() == limit && last != null
                      ? Optional.of(
                          last.getInstant("created_at").toEpochMilli()
                              + ":"
                              + last.getString("video_id"))
                      : Optional.empty();
              return new Page(List.copyOf(ids), nextCursor);
            });
  }
}
