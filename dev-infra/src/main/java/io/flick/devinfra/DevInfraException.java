package io.flick.devinfra;

/**
 * A component of the local infrastructure could not be started (or was misconfigured). The message
 * starts with the component's name, says why, and for a server that ran names its log file and
 * quotes its last lines.
 */
public class DevInfraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String component;

  public DevInfraException(String component, String message) {
    this(component, message, null);
  }

  public DevInfraException(String component, String message, Throwable cause) {
    super(component + ": " + message, cause);
    this.component = component;
  }

  /** "cassandra", "kafka", "s3proxy", "redis", "ffmpeg" or "dev-infra". */
  public String component() {
    return component;
  }
}
