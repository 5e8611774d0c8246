package io.flick.transcode.media;

import io.flick.video.fingerprint.DHash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video's content vector for the recommender: a few numbers saying what it looks and sounds like,
 * compared by cosine. One cheap ffmpeg pass over the first {@link #SECONDS} seconds of the original
 * decodes {@link #FRAMES} frames at 2 fps, scaled to 32×32 RGB, and the audio as 8 kHz mono; the
 * statistics are computed here (the decoder skips B-frames and deblocking, which they do not need:
 * the pass then costs a fraction of the ladder, see docs/BENCHMARKS.md):
 *
 * <ul>
 *   <li>colour: mean R, G, B, saturation; brightness: mean, spread (contrast), drift over time;
 *   <li>texture: mean luma gradient; motion: mean and spread of the frame-to-frame luma change;
 *   <li>audio: loudness (RMS dBFS), its spread over 250 ms windows, zero-crossing rate (a proxy for
 *       spectral brightness), presence of sound;
 *   <li>the stored dHash: each of its 64 bits averaged over the fingerprint's frames.
 * </ul>
 *
 * Each statistic is centred on a typical value and scaled to about ±1, so that two videos point the
 * same way when they look alike and not merely because every statistic is positive; the dHash bits
 * count {@link #DHASH_WEIGHT} each so layout does not drown the rest; the whole is unit length.
 * {@link #compute} never throws: a video whose vector cannot be made simply has none.
 */
public final class ContentVector {
  private static final Logger log = LoggerFactory.getLogger(ContentVector.class);

  static final int SECONDS = 30;
  static final int FRAMES = 60;
  static final int SIDE = 32;
  static final int SAMPLE_RATE = 8000;
  static final int STATS = 14;
  static final int DIMENSION = STATS + 64;
  static final double DHASH_WEIGHT = 0.25;
  private static final long TIMEOUT_SECONDS = 60;

  private final Path ffmpeg;

  public ContentVector(Path ffmpeg) {
    this.ffmpeg = ffmpeg;
  }

  /**
   * The unit-length vector of {@code source}, or empty when ffmpeg cannot decode it (logged).
   * {@code dhashMaterial} is the fingerprint material of {@link TranscodeResult} (may be empty);
   * {@code hasAudio} says whether the probe found an audio stream (ffmpeg refuses an output with no
   * stream). {@code workDir} receives two small temporary files.
   */
  public Optional<float[]> compute(
      Path source, boolean hasAudio, byte[] dhashMaterial, Path workDir) {
    Path frames = workDir.resolve("content-frames.rgb");
    Path audio = workDir.resolve("content-audio.pcm");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  ffmpeg.toString(),
                  "-hide_banner",
                  "-nostdin",
                  "-loglevel",
                  "error",
                  "-y",
                  // the statistics need no B-frames nor deblocking: ~2.5x faster without them
                  "-skip_frame",
                  "bidir",
                  "-skip_loop_filter",
                  "all",
                  "-t",
                  Integer.toString(SECONDS),
                  "-i",
                  source.toString(),
                  // video: a few small frames
                  "-map",
                  "0:v:0",
                  "-an",
                  "-vf",
                  "fps=2,scale=" + SIDE + ":" + SIDE + ":flags=area,format=rgb24",
                  "-frames:v",
                  Integer.toString(FRAMES),
                  "-f",
                  "rawvideo",
                  frames.toString()));
      if (hasAudio) {
        // 8 kHz mono 16-bit
        cmd.addAll(
            List.of(
                "-map",
                "0:a:0",
                "-vn",
                "-ac",
                "1",
                "-ar",
                Integer.toString(SAMPLE_RATE),
                "-f",
                "s16le",
                audio.toString()));
      }
      Process process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("content.log").toFile())
              .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        Processes.kill(process);
        log.warn("content vector of {}: ffmpeg took over {}s", source, TIMEOUT_SECONDS);
        return Optional.empty();
      }
      if (process.exitValue() != 0 || !Files.exists(frames)) {
        log.warn(
            "content vector of {}: ffmpeg exited {}: {}",
            source,
            process.exitValue(),
            Processes.lastLine(Processes.tail(workDir.resolve("content.log"), 400)));
        return Optional.empty();
      }
      byte[] rgb = Files.readAllBytes(frames);
      byte[] pcm = Files.exists(audio) ? Files.readAllBytes(audio) : new byte[0];
      return of(rgb, pcm, dhashMaterial == null ? new byte[0] : dhashMaterial);
    } catch (IOException | RuntimeException e) {
      log.warn("content vector of {}: {}", source, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      Processes.deleteQuietly(frames);
      Processes.deleteQuietly(audio);
      Processes.deleteQuietly(workDir.resolve("content.log"));
    }
  }

  /**
   * The vector from decoded material: {@code rgb} is whole {@link #SIDE}² RGB24 frames, {@code pcm}
   * 16-bit little-endian mono at {@link #SAMPLE_RATE}. Empty without a single frame.
   */
  static Optional<float[]> of(byte[] rgb, byte[] pcm, byte[] dhashMaterial) {
    int pixels = SIDE * SIDE;
    int frameCount = rgb.length / (pixels * 3);
    if (frameCount == 0) {
      return Optional.empty();
    }
    double sumR = 0, sumG = 0, sumB = 0, sumSat = 0, sumY = 0, sumY2 = 0, sumGrad = 0;
    double[] frameMeanY = new double[frameCount];
    double[] frameDiff = new double[Math.max(0, frameCount - 1)];
    double[] previous = null;
    for (int f = 0; f < frameCount; f++) {
      double[] luma = new double[pixels];
      double frameY = 0;
      for (int p = 0; p < pixels; p++) {
        int at = (f * pixels + p) * 3;
        double r = (rgb[at] & 0xff) / 255.0;
        double g = (rgb[at + 1] & 0xff) / 255.0;
        double b = (rgb[at + 2] & 0xff) / 255.0;
        double y = 0.299 * r + 0.587 * g + 0.114 * b;
        luma[p] = y;
        sumR += r;
        sumG += g;
        sumB += b;
        sumSat += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
        sumY += y;
        sumY2 += y * y;
        frameY += y;
      }
      frameMeanY[f] = frameY / pixels;
      double grad = 0;
      for (int row = 0; row < SIDE; row++) {
        for (int col = 0; col < SIDE; col++) {
          int p = row * SIDE + col;
          if (col + 1 < SIDE) grad += Math.abs(luma[p + 1] - luma[p]);
          if (row + 1 < SIDE) grad += Math.abs(luma[p + SIDE] - luma[p]);
        }
      }
      sumGrad += grad / (2.0 * SIDE * (SIDE - 1));
      if (previous != null) {
        double diff = 0;
        for (int p = 0; p < pixels; p++) {
          diff += Math.abs(luma[p] - previous[p]);
        }
        frameDiff[f - 1] = diff / pixels;
      }
      previous = luma;
    }
    double n = (double) frameCount * pixels;
    double meanY = sumY / n;
    double contrast = Math.sqrt(Math.max(0, sumY2 / n - meanY * meanY));

    double[] stats = new double[STATS];
    int i = 0;
    stats[i++] = (sumR / n - 0.45) / 0.25;
    stats[i++] = (sumG / n - 0.45) / 0.25;
    stats[i++] = (sumB / n - 0.45) / 0.25;
    stats[i++] = (sumSat / n - 0.25) / 0.2;
    stats[i++] = (meanY - 0.45) / 0.25;
    stats[i++] = (contrast - 0.2) / 0.1;
    stats[i++] = (std(frameMeanY) - 0.03) / 0.03;
    stats[i++] = (sumGrad / frameCount - 0.06) / 0.05;
    stats[i++] = frameDiff.length == 0 ? 0 : (mean(frameDiff) - 0.05) / 0.05;
    stats[i++] = frameDiff.length == 0 ? 0 : (std(frameDiff) - 0.03) / 0.03;
    i = audio(pcm, stats, i);
    if (i != STATS) {
      throw new IllegalStateException("filled " + i + " of " + STATS);
    }

    double[] vector = new double[DIMENSION];
    for (int s = 0; s < STATS; s++) {
      // an outlier (a black frame, a silent track) must not turn the vector into one axis
      vector[s] = Math.max(-3, Math.min(3, stats[s]));
    }
    long[] hashes = DHash.hashes(dhashMaterial);
    if (hashes.length > 0) {
      for (int bit = 0; bit < 64; bit++) {
        int ones = 0;
        for (long hash : hashes) {
          ones += (int) ((hash >>> bit) & 1L);
        }
        vector[STATS + bit] = DHASH_WEIGHT * 2 * ((double) ones / hashes.length - 0.5);
      }
    }
    double norm = 0;
    for (double v : vector) {
      norm += v * v;
    }
    if (!(norm > 0) || Double.isNaN(norm)) {
      return Optional.empty();
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) {
      unit[d] = (float) (vector[d] / norm);
    }
    return Optional.of(unit);
  }

  /** Loudness, its spread, zero-crossing rate and presence of sound, from 16-bit mono PCM. */
  private static int audio(byte[] pcm, double[] stats, int i) {
    ByteBuffer samples = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    int count = pcm.length / 2;
    int window = SAMPLE_RATE / 4;
    if (count < window) {
      // no (or hardly any) sound: quiet, steady, dull, absent
      stats[i++] = -1.5;
      stats[i++] = -1;
      stats[i++] = -1;
      stats[i++] = -1;
      return i;
    }
    List<Double> windowDb = new ArrayList<>();
    double total = 0, windowSum = 0;
    int crossings = 0;
    int previous = 0;
    for (int s = 0; s < count; s++) {
      int sample = samples.getShort(s * 2);
      double x = sample / 32768.0;
      total += x * x;
      windowSum += x * x;
      if (s > 0 && (sample >= 0) != (previous >= 0)) {
        crossings++;
      }
      previous = sample;
      if ((s + 1) % window == 0) {
        windowDb.add(db(windowSum / window));
        windowSum = 0;
      }
    }
    double loudness = db(total / count);
    double[] windows = windowDb.stream().mapToDouble(Double::doubleValue).toArray();
    double zcr = (double) crossings / count;
    stats[i++] = (loudness + 25) / 15;
    stats[i++] = (std(windows) - 6) / 6;
    stats[i++] = (zcr - 0.1) / 0.1;
    stats[i++] = loudness > -60 ? 1 : -1;
    return i;
  }

  private static double db(double meanSquare) {
    return 10 * Math.log10(Math.max(meanSquare, 1e-9));
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) sum += v;
    return values.length == 0 ? 0 : sum / values.length;
  }

  private static double std(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double m = mean(values);
    double sum = 0;
    for (double v : values) sum += (v - m) * (v - m);
    return Math.sqrt(sum / values.length);
  }
}
