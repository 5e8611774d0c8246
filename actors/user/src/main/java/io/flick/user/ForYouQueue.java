package io.flick.user;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A UserActor's ready For You videos and the filter of what it has already served. Lives in the
 * actor, not in its journal: losing it costs one rebuild, never a fact. Only the actor touches it;
 * the filter is thread-safe for the builder's concurrent reads.
 */
final class ForYouQueue {
  private final ForYouSettings settings;
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private BloomFilter<CharSequence> seen;
  private int seenCount;
  private String lastQueued;

  ForYouQueue(ForYouSettings settings) {
    this.settings = settings;
    this.seen = newFilter();
  }

  private BloomFilter<CharSequence> newFilter() {
    return BloomFilter.create(
        Funnels.stringFunnel(StandardCharsets.UTF_8),
        settings.seenCapacity(),
        settings.seenFalsePositiveRate());
  }

  boolean seen(String videoId) {
    return seen.mightContain(videoId);
  }

  /** The current filter, for a refill built on another thread (reads are thread-safe). */
  java.util.function.Predicate<String> seenFilter() {
    BloomFilter<CharSequence> filter = seen;
    return filter::mightContain;
  }

  int size() {
    return ready.size();
  }

  boolean low() {
    return ready.size() < settings.lowWatermark();
  }

  Optional<String> previousVideo() {
    return Optional.ofNullable(lastQueued);
  }

  /** Appends a refill, leaving out what was served meanwhile or is already queued. */
  void offer(List<String> videoIds) {
    for (String id : videoIds) {
      if (!seen(id) && !ready.contains(id)) {
        ready.addLast(id);
        lastQueued = id;
      }
    }
  }

  /** Takes up to {@code limit} videos and marks them seen. */
  List<String> take(int limit) {
    List<String> page = new ArrayList<>(limit);
    while (page.size() < limit && !ready.isEmpty()) {
      String id = ready.pollFirst();
      if (!seen(id)) {
        page.add(id);
        markSeen(id);
      }
    }
    return page;
  }

  /** A video the viewer watched elsewhere (a share link, a profile) is not offered again. */
  void markSeen(String videoId) {
    if (seenCount >= settings.seenCapacity()) {
      // past its capacity the false-positive rate climbs; start over (old videos may return)
      seen = newFilter();
      seenCount = 0;
    }
    seen.put(videoId);
    seenCount++;
  }

  /** A fresh signal: keep only the next few so the refill after them reflects it. */
  void keepFirst(int keep) {
    while (ready.size() > keep) {
      ready.pollLast();
    }
    lastQueued = ready.peekLast();
  }

  ForYouSource.Stash stash() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      seen.writeTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ForYouSource.Stash(List.copyOf(ready), bytes.toByteArray());
  }

  void restore(ForYouSource.Stash stash) {
    try {
      BloomFilter<CharSequence> stashed =
          BloomFilter.readFrom(
              new ByteArrayInputStream(stash.seenFilter()),
              Funnels.stringFunnel(StandardCharsets.UTF_8));
      // what was marked while the stash was on its way counts too
      if (stashed.isCompatible(seen)) {
        stashed.putAll(seen);
      }
      seen = stashed;
      seenCount = (int) Math.min(Integer.MAX_VALUE, seen.approximateElementCount());
    } catch (IOException | RuntimeException e) {
      // an unreadable stash is a cache miss: keep the current filter
    }
    ready.clear();
    offer(stash.queue());
  }

  boolean isEmpty() {
    return ready.isEmpty();
  }
}
