package io.flick.api.video;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.video.MediaKeys;
import io.flick.video.VideoSummary;
import java.time.Instant;
import java.util.List;

/**
 * A video as API.md shows it: playable media only as signed, expiring URLs; {@code deadline} is
 * when an UPLOADING or PROCESSING video ends FAILED if nothing happens; {@code viewer} is the
 * caller's own relation to it, present when the request carried a token ({@link ViewerState}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoView(
    String id,
    String creatorId,
    String caption,
    List<String> hashtags,
    String soundId,
    String status,
    String failureReason,
    long durationMs,
    int width,
    int height,
    String hls,
    String poster,
    List<RenditionView> renditions,
    Counts counts,
    Instant createdAt,
    Instant deadline,
    Viewer viewer,
    SoundRoutes.SoundRef sound,
    boolean allowReuse,
    boolean allowRemix,
    RemixOfView remixOf) {

  /**
   * What a remix remixes, from its own facts at upload: the source's id, {@code duet} or {@code
   * stitch}, the source's creator (and handle, null if unknown), and a stitch's part of the source.
   */
  public record RemixOfView(
      String id, String kind, String creatorId, String creatorHandle, Long fromMs, Long toMs) {
    static RemixOfView of(VideoSummary.RemixOf r) {
      boolean stitch = r.kind() == VideoSummary.RemixKind.STITCH;
      return new RemixOfView(
          r.videoId(),
          r.kind().name().toLowerCase(java.util.Locale.ROOT),
          r.creatorId(),
          r.creatorHandle(),
          stitch ? r.fromMs() : null,
          stitch ? r.toMs() : null);
    }
  }

  public record Counts(long views, long likes, long comments, long shares) {}

  /** The caller and this video: whether the caller likes it. */
  public record Viewer(boolean liked) {}

  public VideoView withViewer(Viewer viewer) {
    return new VideoView(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        status,
        failureReason,
        durationMs,
        width,
        height,
        hls,
        poster,
        renditions,
        counts,
        createdAt,
        deadline,
        viewer,
        sound,
        allowReuse,
        allowRemix,
        remixOf);
  }

  /** With its sound's id and title ({@code SoundRoutes#withSounds}). */
  public VideoView withSound(SoundRoutes.SoundRef sound) {
    return new VideoView(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        status,
        failureReason,
        durationMs,
        width,
        height,
        hls,
        poster,
        renditions,
        counts,
        createdAt,
        deadline,
        viewer,
        sound,
        allowReuse,
        allowRemix,
        remixOf);
  }

  public record RenditionView(String name, int width, int height, long bandwidth) {}

  public static VideoView of(VideoSummary video, MediaSigner signer, String publicUrl) {
    String prefix = MediaKeys.mediaPrefix(video.id());
    String hls =
        video.playable()
            ? video
                .media()
                .masterPlaylistKey()
                .map(k -> publicUrl + signer.sign(prefix, k))
                .orElse(null)
            : null;
    String poster =
        video.media().posterKey().map(k -> publicUrl + signer.sign(prefix, k)).orElse(null);
    return new VideoView(
        video.id(),
        video.creatorId(),
        video.caption(),
        video.hashtags(),
        video.soundId().orElse(null),
        video.status().name(),
        video.failureReason().orElse(null),
        video.media().durationMs(),
        video.media().width(),
        video.media().height(),
        hls,
        poster,
        video.media().renditions().stream()
            .map(r -> new RenditionView(r.name(), r.width(), r.height(), r.bandwidth()))
            .toList(),
        new Counts(
            video.counts().views(),
            video.counts().likes(),
            video.counts().comments(),
            video.counts().shares()),
        video.createdAt(),
        video.deadline().orElse(null),
        null,
        null,
        video.reuseAllowed(),
        video.remixAllowed(),
        video.remixOf().map(RemixOfView::of).orElse(null));
  }
}
