package io.flick.devinfra.internal;

import io.flick.devinfra.DevInfraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Redis from the machine's redis-server binary (Debian package redis-server). */
public final class RedisComponent extends Component {
  public static final String NAME = "redis";
  public static final String PORT = "port";

  private Path binary;

  public RedisComponent(Context ctx, int port) {
    super(NAME, ctx);
    ports.put(PORT, port);
  }

  @Override
  public void checkInstalled() {
    String configured = System.getenv("FLICK_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      binary = Path.of(configured.trim());
      if (!Files.isExecutable(binary)) {
        throw new DevInfraException(
            NAME, "FLICK_REDIS_SERVER=" + configured + " is not an executable file");
      }
      return;
    }
    binary =
        Which.find("redis-server")
            .orElseThrow(
                () ->
                    new DevInfraException(
                        NAME,
                        "redis-server was not found on the PATH nor in /usr/bin or /usr/local/bin;"
                            + " run scripts/install-deps.sh (Debian package 'redis-server'), set"
                            + " FLICK_REDIS_SERVER to its path, or use an external Redis with"
                            + " FLICK_REDIS_ADDRESS=host:port"));
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(60);
  }

  @Override
  public String address() {
    return Ports.LOOPBACK + ":" + ports.get(PORT);
  }

  @Override
  public ChildProcess launch(long deadlineNanos) throws IOException {
    Path dir = ctx.dataDir().resolve(NAME);
    Files.createDirectories(dir);
    List<String> cmd =
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(ports.get(PORT)),
            "--bind",
            Ports.LOOPBACK,
            "--dir",
            dir.toString(),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
            "--protected-mode",
            "no",
            // keep the real command line (with the data dir) visible for the stale-process check
            "--set-proc-title",
            "no",
            "--logfile",
            "");
    // cwd in the data dir: a second way to recognise a left-over redis of this data dir
    return ctx.launch(NAME, cmd, dir, Map.of(), ctx.pidFileOf(NAME));
  }

  @Override
  public String probe() throws IOException {
    return Probes.redis(Ports.LOOPBACK, ports.get(PORT));
  }
}
