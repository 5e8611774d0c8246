package io.flick.feed.foryou;

import io.flick.feed.rank.Engagement;
import io.flick.proto.events.Interaction;
import java.util.Optional;

/** The one mapping from public {@code interactions} events to what the recommender learns. */
public final class Engagements {
  // a view shorter than both is a fast skip (as the UserActor profile counts it)
  private static final double SKIP_FRACTION = 0.2;
  private static final long SKIP_MS = 2000;

  private Engagements() {}

  public static Optional<Engagement> from(Interaction event) {
    if (event.getUserId().isEmpty() || event.getVideoId().isEmpty()) {
      return Optional.empty();
    }
    double weight =
        switch (event.getKind()) {
          case VIEW -> viewWeight(event);
          case LIKE -> Engagement.LIKE;
          case SHARE -> Engagement.SHARE;
          case COMMENT -> Engagement.COMMENT;
          default -> Double.NaN;
        };
    if (Double.isNaN(weight)) {
      return Optional.empty();
    }
    return Optional.of(
        new Engagement(
            event.getUserId(),
            event.getVideoId(),
            event.getCreatorId().isEmpty() ? null : event.getCreatorId(),
            event.getHashtagsList(),
            event.getSoundId().isEmpty() ? null : event.getSoundId(),
            event.getRegion().isEmpty() ? null : event.getRegion(),
            weight,
            event.getAtEpochMs()));
  }

  private static double viewWeight(Interaction view) {
    if (view.getCompleted()) {
      return Engagement.COMPLETE;
    }
    boolean shortWatch = view.getWatchMs() < SKIP_MS;
    boolean smallFraction =
        view.getDurationMs() <= 0 || view.getWatchMs() < SKIP_FRACTION * view.getDurationMs();
    return shortWatch && smallFraction ? Engagement.SKIP : Engagement.VIEW;
  }
}
