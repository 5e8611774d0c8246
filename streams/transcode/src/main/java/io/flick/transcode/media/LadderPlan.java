package io.flick.transcode.media;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What one transcode will produce: the rungs (lowest first), the output frame rate, and the source
 * they were derived from.
 *
 * @param source the probed source
 * @param rungs the renditions, sorted by ascending size; never empty
 * @param frameRate output frame rate (the source's, snapped to a standard rate, capped)
 */
public record LadderPlan(MediaInfo source, List<Rung> rungs, double frameRate) {

  public LadderPlan {
    Objects.requireNonNull(source, "source");
    rungs = rungs.stream().sorted(Comparator.comparingInt(Rung::shortSide)).toList();
    if (rungs.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one rung");
    }
    if (rungs.stream().map(Rung::name).distinct().count() != rungs.size()) {
      throw new IllegalArgumentException("rung names must be unique");
    }
    if (!(frameRate > 0)) {
      throw new IllegalArgumentException("frameRate must be positive");
    }
  }

  public Rung lowest() {
    return rungs.get(0);
  }

  public Rung highest() {
    return rungs.get(rungs.size() - 1);
  }

  public boolean hasAudio() {
    return source.hasAudio();
  }
}
