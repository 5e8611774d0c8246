package io.flick.video;

import io.flick.common.CborSerializable;
import java.util.Optional;

/**
 * The answer to {@link VideoCommand.Get}: empty when the video was never created, or was deleted.
 */
public record VideoLookup(Optional<VideoSummary> video) implements CborSerializable {
  static final VideoLookup NONE = new VideoLookup(Optional.empty());

  static VideoLookup of(VideoState.Live state) {
    return new VideoLookup(Optional.of(state.video()));
  }
}
