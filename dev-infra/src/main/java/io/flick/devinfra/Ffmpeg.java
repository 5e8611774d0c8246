package io.flick.devinfra;

import io.flick.devinfra.internal.Which;
import java.nio.file.Files;
import java.nio.file.Path;

/** The ffmpeg and ffprobe executables Flick's transcoder runs. */
public record Ffmpeg(Path ffmpeg, Path ffprobe) {

  /**
   * Finds ffmpeg and ffprobe: env FLICK_FFMPEG / FLICK_FFPROBE when set, else the PATH (then
   * /usr/bin, /usr/local/bin).
   *
   * @throws DevInfraException when one is missing, telling how to install it
   */
  public static Ffmpeg locate() {
    return new Ffmpeg(find("ffmpeg", "FLICK_FFMPEG"), find("ffprobe", "FLICK_FFPROBE"));
  }

  private static Path find(String name, String envVar) {
    String configured = System.getenv(envVar);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured.trim());
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
      throw new DevInfraException(
          "ffmpeg",
          envVar + "=" + configured + " is not an executable file (unset it to use PATH)");
    }
    return Which.find(name)
        .orElseThrow(
            () ->
                new DevInfraException(
                    "ffmpeg",
                    name
                        + " was not found on the PATH nor in /usr/bin or /usr/local/bin; run"
                        + " scripts/install-deps.sh (Debian package 'ffmpeg') or set "
                        + envVar
                        + " to its path"));
  }
}
