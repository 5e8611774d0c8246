package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.node.infra.Infra;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.pipeline.ModerationHook;
import io.flick.transcode.pipeline.SoundMatcher;
import io.flick.transcode.pipeline.TranscodePipeline;
import io.flick.transcode.pipeline.TranscodeSettings;
import io.flick.video.VideoService;
import io.flick.video.upload.UploadSettings;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The transcode context: the upload → HLS pipeline, only on {@code transcode} nodes. */
public final class TranscodeContext {
  private TranscodeContext() {}

  public static void start(
      Infra infra,
      VideoService videos,
      ModerationHook moderation,
      SoundMatcher sounds,
      Consumer<String> progress) {
    if (!NodeRoles.has(infra.system(), NodeRoles.TRANSCODE)) {
      return;
    }
    new TranscodePipeline(
            infra.system(),
            TranscodeSettings.from(infra.config()),
            UploadSettings.from(infra.config()).maxBytes(),
            videos,
            infra.s3().client(),
            infra.s3().bucket(),
            new FfmpegPaths(
                Path.of(infra.config().getString("flick.ffmpeg")),
                Path.of(infra.config().getString("flick.ffprobe"))),
            infra.kafka().bootstrapServers(),
            infra.producer(),
            infra.metrics().registry())
        .withModerationHook(moderation)
        .withSoundMatcher(sounds)
        .start();
    progress.accept("transcode   pipeline consuming " + TranscodePipeline.TOPIC);
  }
}
