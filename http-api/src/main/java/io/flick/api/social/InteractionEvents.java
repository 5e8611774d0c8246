package io.flick.api.social;

import io.flick.api.auth.TokenService.Caller;
import io.flick.proto.events.Interaction;
import io.flick.video.VideoSummary;
import java.util.Locale;
import java.util.Optional;

/** How the routes describe an interaction on the {@code interactions} topic. */
final class InteractionEvents {
  // a view longer than this is a player left running; it counts, its watch time is capped
  static final long MAX_WATCH_MS = 30 * 60 * 1000L;
  // the feed a view was watched in ("foryou", "following", "hashtag"...): a short label
  static final int MAX_SOURCE_LENGTH = 64;
  // the region of anonymous viewers (ISO 3166 "unknown or unspecified")
  private static final String UNKNOWN_REGION = "ZZ";

  private InteractionEvents() {}

  /** The event for {@code video}, with what the feed and analytics need to know of it. */
  static Interaction.Builder of(
      Interaction.Kind kind, VideoSummary video, Optional<Caller> caller, String device) {
    Interaction.Builder event =
        Interaction.newBuilder()
            .setKind(kind)
            .setVideoId(video.id())
            .setCreatorId(video.creatorId())
            .setDevice(device)
            .addAllHashtags(video.hashtags())
            .setSoundId(video.soundId().orElse(""))
            .setDurationMs(video.media().durationMs());
    caller.ifPresentOrElse(
        c -> event.setUserId(c.userId()).setRegion(c.region()),
        () -> event.setRegion(UNKNOWN_REGION));
    return event;
  }

  /**
   * The most watch time one view of {@code video} may report: its duration plus a little slack
   * (seeking back, a loop's restart), or {@link #MAX_WATCH_MS} when its duration is not known yet.
   */
  static long maxWatchMs(VideoSummary video) {
    long duration = video.media() == null ? 0 : video.media().durationMs();
    if (duration <= 0) {
      return MAX_WATCH_MS;
    }
    return Math.min(MAX_WATCH_MS, duration + Math.max(2_000, duration / 10));
  }

  /** A view: watch time capped by the video's duration, completion and the feed it was in. */
  static Interaction.Builder view(
      VideoSummary video,
      Optional<Caller> caller,
      String device,
      long watchMs,
      boolean completed,
      String source) {
    return of(Interaction.Kind.VIEW, video, caller, device)
        .setWatchMs(Math.min(watchMs, maxWatchMs(video)))
        .setCompleted(completed)
        .setSource(source == null ? "" : source);
  }

  /** What is wrong with a view's {@code source}, if anything. */
  static Optional<String> sourceProblem(String source) {
    if (source != null && source.length() > MAX_SOURCE_LENGTH) {
      return Optional.of(
          "source (the feed the view came from, e.g. \"foryou\") is at most "
              + MAX_SOURCE_LENGTH
              + " characters, not "
              + source.length());
    }
    return Optional.empty();
  }

  /** The device class analytics report audiences by, from the User-Agent. */
  static String device(Optional<String> userAgent) {
    String agent = userAgent.orElse("").toLowerCase(Locale.ROOT);
    if (agent.contains("mobile") || agent.contains("android") || agent.contains("iphone")) {
      return "mobile";
    }
    return agent.isEmpty() ? "unknown" : "desktop";
  }
}
