package io.flick.video.comments;

import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.Done;

/**
 * The comments table as {@link CommentTable} keeps it, in memory: every write dated by its event, a
 * removal leaving a tombstone that shadows older writes. {@code failing} makes every write fail,
 * {@code findFailing} every look-up.
 */
final class InMemoryCommentRows implements CommentRows {
  /** A row, or the tombstone of one ({@code text} null), with its write time. */
  record Cell(String videoId, String authorId, String text, Instant writtenAt) {}

  final Map<String, Cell> cells = new ConcurrentHashMap<>();
  final List<String> writes = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  volatile boolean findFailing;

  @Override
  public CompletionStage<Done> upsert(CommentPosted posted) {
    writes.add("upsert " + posted.commentId());
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("table down"));
    }
    write(
        posted.commentId(),
        new Cell(posted.videoId(), posted.authorId(), posted.text(), posted.createdAt()));
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Done> delete(CommentDeleted deleted) {
    writes.add("delete " + deleted.commentId());
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("table down"));
    }
    Instant at =
        deleted.at().isAfter(deleted.createdAt()) ? deleted.at() : deleted.createdAt().plusNanos(1);
    write(deleted.commentId(), new Cell(deleted.videoId(), deleted.authorId(), null, at));
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Optional<Stored>> find(UUID commentId) {
    if (findFailing) {
      return CompletableFuture.failedFuture(new IllegalStateException("table down"));
    }
    return CompletableFuture.completedFuture(row(commentId.toString()).map(this::stored));
  }

  /** A comment written to the table before comments were journaled. */
  void legacy(String commentId, String videoId, String authorId, Instant createdAt) {
    cells.put(commentId, new Cell(videoId, authorId, "old", createdAt));
  }

  Optional<Cell> row(String commentId) {
    return Optional.ofNullable(cells.get(commentId)).filter(c -> c.text() != null);
  }

  private Stored stored(Cell cell) {
    return new Stored(cell.videoId(), cell.authorId(), cell.writtenAt());
  }

  // the newer write wins, as Cassandra's cells by write time
  private void write(String commentId, Cell cell) {
    cells.merge(
        commentId, cell, (old, now) -> now.writtenAt().isBefore(old.writtenAt()) ? old : now);
  }
}
