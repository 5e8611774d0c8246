package io.flick.transcode.media;

import io.flick.video.fingerprint.AudioFingerprint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Fingerprints the first audio track of a media file on its own ffmpeg run (Chromaprint muxer). The
 * pipeline does not need it (the ladder run writes the fingerprint from its one decode, see {@link
 * HlsLadderTranscoder#audioFingerprintOutput}); tests and benchmarks do. Blocking.
 */
public final class AudioFingerprinter {
  private final Path ffmpeg;
  private final Duration timeout;

  public AudioFingerprinter(Path ffmpeg, Duration timeout) {
    this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The fingerprint of {@code media}'s first audio track; empty when it has none. */
  public AudioFingerprint fingerprint(Path media) throws IOException, InterruptedException {
    Path out = Files.createTempFile("flick-audio", ".fp");
    Path log = Files.createTempFile("flick-audio", ".log");
    Process p = null;
    try {
      p =
          new ProcessBuilder(
                  List.of(
                      ffmpeg.toString(),
                      "-hide_banner",
                      "-nostdin",
                      "-loglevel",
                      "error",
                      "-y",
                      "-i",
                      media.toAbsolutePath().toString(),
                      "-map",
                      "0:a:0?",
                      "-vn",
                      "-ac",
                      "1",
                      "-c:a",
                      "pcm_s16le",
                      "-f",
                      "chromaprint",
                      "-fp_format",
                      "raw",
                      out.toString()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(log.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("ffmpeg did not fingerprint " + media + " within " + timeout);
      }
      String err = Processes.tail(log, 2000);
      if (p.exitValue() != 0) {
        // a file without an audio track has nothing to map: no sound, not an error
        if (err.contains("does not contain any stream") || err.contains("Output file is empty")) {
          return AudioFingerprint.fromRaw(new byte[0]);
        }
        throw new IOException("ffmpeg could not fingerprint " + media + ": " + err);
      }
      return AudioFingerprint.fromRaw(Files.readAllBytes(out));
    } finally {
      Processes.kill(p);
      Processes.deleteQuietly(out);
      Processes.deleteQuietly(log);
    }
  }
}
