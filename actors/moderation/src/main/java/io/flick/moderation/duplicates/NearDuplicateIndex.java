package io.flick.moderation.duplicates;

import io.flick.video.fingerprint.DHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Finds videos whose frames look like another's, from their per-second {@link DHash}es, by
 * multi-index hashing: each 64-bit frame hash is cut into four 16-bit chunks, and each chunk value
 * indexes the frames that have it. Two frames within 3 bits of each other share at least one chunk
 * (pigeonhole), so every such pair is found with four table look-ups; candidates are then checked
 * by their real Hamming distance.
 *
 * <p><b>Match rule</b>: a frame matches when some frame of the other video is within {@link
 * #FRAME_DISTANCE} bits; a video is a near-duplicate when at least {@link #MIN_SHARE} of the
 * query's informative frames (and at least {@link #MIN_FRAMES}) match frames of it. Frames with
 * almost no edges (fewer than 6 or more than 58 bits set: black, white, flat fades) are not
 * indexed: they look alike in every video.
 *
 * <p>In memory, thread-safe; a node rebuilds it from the stored dHash material.
 */
public final class NearDuplicateIndex {
  public static final int FRAME_DISTANCE = 6;
  public static final double MIN_SHARE = 0.6;
  public static final int MIN_FRAMES = 3;

  /** A near-duplicate found, with the share of the query's frames that matched it. */
  public record Match(String videoId, double share) {}

  private record Posting(int video, long hash) {}

  @SuppressWarnings("unchecked")
  private final Map<Integer, List<Posting>>[] tables = new Map[4];

  private final List<String> videoIds = new ArrayList<>();
  private final Map<String, Integer> numbers = new HashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  public NearDuplicateIndex() {
    for (int i = 0; i < tables.length; i++) {
      tables[i] = new HashMap<>();
    }
  }

  static boolean informative(long hash) {
    int bits = Long.bitCount(hash);
    return bits >= 6 && bits <= 58;
  }

  private static int chunk(long hash, int i) {
    return (int) ((hash >>> (16 * i)) & 0xffff);
  }

  /** Indexes a video's frame hashes (again: adds nothing new). */
  public void add(String videoId, long[] frames) {
    lock.writeLock().lock();
    try {
      if (numbers.containsKey(videoId)) {
        return;
      }
      int number = videoIds.size();
      videoIds.add(videoId);
      numbers.put(videoId, number);
      for (long frame : frames) {
        if (!informative(frame)) {
          continue;
        }
        Posting posting = new Posting(number, frame);
        for (int i = 0; i < 4; i++) {
          tables[i].computeIfAbsent(chunk(frame, i), k -> new ArrayList<>(2)).add(posting);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return videoIds.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The best near-duplicate of {@code frames} other than {@code self}, by the match rule. */
  public Optional<Match> bestMatch(String self, long[] frames) {
    return matches(self, frames).stream().findFirst();
  }

  /** Every near-duplicate of {@code frames} other than {@code self}, the closest first. */
  public List<Match> matches(String self, long[] frames) {
    lock.readLock().lock();
    try {
      Integer own = numbers.get(self);
      Map<Integer, Integer> matchedFrames = new HashMap<>();
      int informative = 0;
      for (long frame : frames) {
        if (!informative(frame)) {
          continue;
        }
        informative++;
        java.util.Set<Integer> hit = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
          List<Posting> postings = tables[i].get(chunk(frame, i));
          if (postings == null) {
            continue;
          }
          for (Posting p : postings) {
            if ((own == null || p.video() != own)
                && !hit.contains(p.video())
                && DHash.hamming(frame, p.hash()) <= FRAME_DISTANCE) {
              hit.add(p.video());
            }
          }
        }
        for (int video : hit) {
          matchedFrames.merge(video, 1, Integer::sum);
        }
      }
      int needed = Math.max(MIN_FRAMES, (int) Math.ceil(MIN_SHARE * informative));
      List<Match> found = new ArrayList<>();
      for (Map.Entry<Integer, Integer> e : matchedFrames.entrySet()) {
        if (e.getValue() >= needed) {
          found.add(new Match(videoIds.get(e.getKey()), (double) e.getValue() / informative));
        }
      }
      found.sort(java.util.Comparator.comparingDouble(Match::share).reversed());
      return found;
    } finally {
      lock.readLock().unlock();
    }
  }
}
