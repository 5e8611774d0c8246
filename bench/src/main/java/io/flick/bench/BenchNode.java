package io.flick.bench;

import com.typesafe.config.ConfigFactory;
import io.flick.devinfra.DevInfra;
import io.flick.devinfra.DevInfraSettings;
import io.flick.node.FlickNode;
import io.flick.node.dev.DevMode;
import java.nio.file.Path;
import java.util.Map;

/** The embedded infra and one in-process Flick node, for benchmarks that drive the real API. */
public final class BenchNode implements AutoCloseable {
  public final DevInfra infra;
  public final FlickNode node;

  private BenchNode(DevInfra infra, FlickNode node) {
    this.infra = infra;
    this.node = node;
  }

  public static BenchNode start(Path home, String name, Map<String, Object> overrides)
      throws Exception {
    Path dataDir = home.resolve("bench/target/" + name + "-infra");
    DevInfra infra =
        DevInfra.start(
            DevInfraSettings.forTests(dataDir, home), l -> System.out.println("[infra] " + l));
    try {
      var config =
          ConfigFactory.parseMap(overrides)
              .withFallback(
                  ConfigFactory.parseMap(
                      Map.of(
                          "flick.http.port",
                          0,
                          "flick.http.interface",
                          "127.0.0.1",
                          "flick.grpc.port",
                          0,
                          "pekko.remote.artery.canonical.port",
                          0,
                          "flick.auth.jwt-secret",
                          "benchmark-secret-of-at-least-32-bytes-long",
                          "pekko.loglevel",
                          "WARNING")))
              // a bench is a few clients making many calls, one video viewed over and over: the
              // limits and the repeat-view check still run (their cost is measured) but refuse
              // nothing, so every acknowledged interaction counts and the counts can be compared
              .withFallback(
                  ConfigFactory.parseString(
                      String.join(
                          "\n",
                          "flick.http.rate-limits { signup.capacity = 10000000,",
                          "  login.capacity = 10000000, anonymous.capacity = 10000000,",
                          "  upload.capacity = 10000000, comment.capacity = 10000000,",
                          "  social.capacity = 10000000, report.capacity = 10000000 }",
                          "flick.http.views.repeat-window = 0s")))
              .withFallback(DevMode.configFor(infra.endpoints(), dataDir))
              .withFallback(ConfigFactory.load())
              .resolve();
      return new BenchNode(infra, FlickNode.start(config, l -> System.out.println("[node] " + l)));
    } catch (Exception e) {
      infra.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  @Override
  public void close() throws Exception {
    try {
      node.close();
    } finally {
      infra.close();
    }
  }
}
