package io.flick.moderation.duplicates;

import io.flick.moderation.duplicates.Fingerprints.Fact;
import io.flick.moderation.duplicates.NearDuplicateIndex.Match;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what a new upload is a near-duplicate of, in milliseconds, from memory: a {@link
 * NearDuplicateIndex} of every READY video's frame hashes, with which of them were removed by a
 * moderator or deleted by their creator. Built from {@link Fingerprints} at start, then kept
 * current by reading the newest facts every {@code refresh} (re-reading a margin, since the
 * projection may write a fact a little after its time: applying a fact twice changes nothing).
 *
 * <p>A video that becomes READY while the index is still loading is checked against what is loaded
 * so far: the finder is a moderation aid, not a gate that can fail an upload.
 */
public final class DuplicateFinder {
  private static final Logger log = LoggerFactory.getLogger(DuplicateFinder.class);

  /** How far behind the newest fact seen a refresh starts again. */
  static final Duration MARGIN = Duration.ofSeconds(30);

  /**
   * What a video is a near-duplicate of: {@code videoId}, made by {@code creatorId}, matching
   * {@code share} of its informative frames; {@code removed} when a moderator removed that video.
   */
  public record Finding(String videoId, String creatorId, double share, boolean removed) {}

  private final NearDuplicateIndex index = new NearDuplicateIndex();
  private final Map<String, String> creators = new ConcurrentHashMap<>();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Instant> newest = new AtomicReference<>(Instant.EPOCH);
  private final AtomicBoolean reading = new AtomicBoolean();
  private final Fingerprints table;
  private final Clock clock;

  public DuplicateFinder(Fingerprints table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  /**
   * Loads every fact, then refreshes every {@code refresh}; reports its size on {@code registry}.
   */
  public DuplicateFinder start(
      ActorSystem<?> system, Duration refresh, PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name("flick_duplicates_indexed_videos")
        .help("Videos whose frame hashes this node's near-duplicate finder holds")
        .callback(cb -> cb.call(index.size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flick_duplicates_removed_videos")
        .help("Videos this node's near-duplicate finder knows a moderator removed")
        .callback(cb -> cb.call(removed.size()))
        .register(registry);
    reading.set(true);
    loadAll()
        .whenComplete(
            (done, error) -> {
              reading.set(false);
              if (error != null) {
                log.warn(
                    "near-duplicate index: first load failed, refreshing: {}", error.toString());
              } else {
                log.info("near-duplicate index: {} videos loaded", index.size());
              }
              system
                  .scheduler()
                  .scheduleWithFixedDelay(
                      refresh, refresh, this::refresh, system.executionContext());
            });
    return this;
  }

  /** The closest near-duplicate by another creator, or removed; empty when there is none. */
  public Optional<Finding> check(String videoId, String creatorId, long[] frames) {
    List<Match> matches = index.matches(videoId, frames);
    Optional<Finding> ofRemoved =
        matches.stream().filter(m -> removed.contains(m.videoId())).findFirst().map(this::finding);
    if (ofRemoved.isPresent()) {
      return ofRemoved;
    }
    return matches.stream()
        .filter(m -> !deleted.contains(m.videoId()))
        .filter(m -> !creatorId.equals(creators.get(m.videoId())))
        .findFirst()
        .map(this::finding);
  }

  private Finding finding(Match match) {
    return new Finding(
        match.videoId(),
        creators.getOrDefault(match.videoId(), ""),
        match.share(),
        removed.contains(match.videoId()));
  }

  /** Applies one fact (again: changes nothing). */
  void apply(Fact fact) {
    switch (fact.kind()) {
      case READY -> {
        creators.put(fact.videoId(), fact.creatorId());
        index.add(fact.videoId(), fact.frames());
      }
      case REMOVED -> removed.add(fact.videoId());
      case DELETED -> deleted.add(fact.videoId());
    }
    newest.accumulateAndGet(fact.at(), (a, b) -> a.isAfter(b) ? a : b);
  }

  private CompletionStage<Done> loadAll() {
    return table
        .days()
        .thenCompose(
            days -> {
              CompletionStage<Done> all = CompletableFuture.completedFuture(Done.getInstance());
              for (LocalDate day : days) {
                all = all.thenCompose(done -> table.read(day, Instant.EPOCH, this::apply));
              }
              return all;
            });
  }

  private void refresh() {
    if (!reading.compareAndSet(false, true)) {
      return;
    }
    Instant from = newest.get().minus(MARGIN);
    LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    CompletionStage<Done> read = CompletableFuture.completedFuture(Done.getInstance());
    // the days between the newest fact seen and today: usually one, two around midnight
    for (LocalDate day = first.isBefore(today.minusDays(1)) ? today.minusDays(1) : first;
        !day.isAfter(today);
        day = day.plusDays(1)) {
      LocalDate d = day;
      read = read.thenCompose(done -> table.read(d, from, this::apply));
    }
    read.whenComplete(
        (done, error) -> {
          reading.set(false);
          if (error != null) {
            log.debug("near-duplicate index refresh failed: {}", error.toString());
          }
        });
  }
}
