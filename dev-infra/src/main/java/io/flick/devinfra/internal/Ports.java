package io.flick.devinfra.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Free-port choice and port-in-use checks on 127.0.0.1. */
public final class Ports {
  private Ports() {}

  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Whether a server could listen on {@code port} of 127.0.0.1 now. SO_REUSEADDR is on, as in the
   * servers themselves, so sockets of a previous run lingering in TIME_WAIT don't count as taken.
   */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port that is free now and not in {@code avoid}. */
  public static int pickFree(Set<Integer> avoid) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
        int port = s.getLocalPort();
        if (!avoid.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot bind any port on " + LOOPBACK, e);
      }
    }
    throw new IllegalStateException("no free port found on " + LOOPBACK);
  }
}
