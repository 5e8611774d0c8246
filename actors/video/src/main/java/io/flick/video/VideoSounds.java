package io.flick.video;

import io.flick.video.VideoCommand.ClipAudio;
import io.flick.video.VideoCommand.MarkReady;
import io.flick.video.VideoCommand.SetRemix;
import io.flick.video.VideoCommand.SetReuse;
import io.flick.video.VideoEvent.RemixSet;
import io.flick.video.VideoEvent.ReuseSet;
import io.flick.video.VideoEvent.SoundCreated;
import io.flick.video.VideoService.NotCreatorException;
import io.flick.video.VideoState.Live;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A video's sound. The sound a clip plays is the one its uploader chose, else the one its own audio
 * matched (the pipeline fingerprints it), else a new sound made from its own audio: that sound's
 * facts ({@link SoundCreated}) belong to this video and its id is the video's id. The creator can
 * stop others from using the sound ({@link SetReuse}) and from remixing the video ({@link
 * SetRemix}).
 */
final class VideoSounds {
  private final String videoId;
  private final Clock clock;
  private final EffectFactories<VideoEvent, VideoState> effect;

  VideoSounds(String videoId, Clock clock, EffectFactories<VideoEvent, VideoState> effect) {
    this.videoId = videoId;
    this.clock = clock;
    this.effect = effect;
  }

  /** The sound the READY video plays: chosen, matched, or its own (then a new sound). */
  static Optional<String> soundAtReady(VideoSummary video, MarkReady cmd) {
    if (video.soundId().isPresent()) {
      return video.soundId();
    }
    return cmd.audio().map(a -> a.matchedSoundId().orElse(video.id()));
  }

  /** The events that make the clip's own audio a new sound; none when it is not one. */
  static List<VideoEvent> newSound(VideoSummary video, MarkReady cmd, Instant at) {
    if (video.soundId().isPresent()) {
      return List.of();
    }
    Optional<ClipAudio> audio = cmd.audio().filter(a -> a.matchedSoundId().isEmpty());
    return audio
        .<List<VideoEvent>>map(
            a ->
                List.of(
                    new SoundCreated(
                        video.id(), video.creatorId(), a.durationMs(), a.fingerprint(), at)))
        .orElse(List.of());
  }

  ReplyEffect<VideoEvent, VideoState> onSetRemix(Live state, SetRemix cmd) {
    if (!state.creatorId().equals(cmd.requesterId())) {
      return effect.reply(
          cmd.replyTo(),
          StatusReply.error(
              new NotCreatorException("only the creator can change who may remix this video")));
    }
    if (state.video().remixAllowed() == cmd.allowed()) {
      return effect.reply(cmd.replyTo(), StatusReply.success(state.video()));
    }
    return effect
        .persist(new RemixSet(videoId, state.creatorId(), cmd.allowed(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(((Live) s).video()));
  }

  ReplyEffect<VideoEvent, VideoState> onSetReuse(Live state, SetReuse cmd) {
    if (!state.creatorId().equals(cmd.requesterId())) {
      return effect.reply(
          cmd.replyTo(),
          StatusReply.error(
              new NotCreatorException("only the creator can change who may reuse this video")));
    }
    if (state.video().reuseAllowed() == cmd.allowed()) {
      return effect.reply(cmd.replyTo(), StatusReply.success(state.video()));
    }
    return effect
        .persist(new ReuseSet(videoId, state.creatorId(), cmd.allowed(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(((Live) s).video()));
  }
}
