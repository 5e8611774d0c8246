package io.flick.infra.opensearch;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for dev mode and tests: {@code OpenSearchNodeMain <home> <data>
 * <logs> <httpPort> <transportPort>}. The distribution's launcher would load these modules from a
 * modules/ folder; here they come from the classpath, which is what Node's protected constructor
 * takes. Runs until SIGTERM, which closes the node.
 */
public final class OpenSearchNodeMain {
  private OpenSearchNodeMain() {}

  /** The node's plugins: HTTP transport, analyzers/filters, search_as_you_type. */
  static final List<Class<? extends Plugin>> PLUGINS =
      List.of(
          Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class);

  static final class EmbeddedNode extends Node {
    EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
      super(environment, plugins, true);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: OpenSearchNodeMain <home> <data> <logs> <httpPort> <transportPort>");
      System.exit(2);
    }
    Settings settings =
        Settings.builder()
            .put("path.home", Path.of(args[0]).toString())
            .put("path.data", Path.of(args[1]).toString())
            .put("path.logs", Path.of(args[2]).toString())
            .put("cluster.name", "flick-dev")
            .put("node.name", "flick-dev-1")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", args[3])
            .put("transport.port", args[4])
            // a dev disk is often fuller than the production watermarks allow
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false)
            .build();
    LogConfigurator.configureWithoutConfig(settings);
    Environment env =
        InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "flick-dev-1");
    Node node = new EmbeddedNode(env, PLUGINS);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    closed.countDown();
                  }
                },
                "opensearch-close"));
    node.start();
    System.out.println("OpenSearch node started on 127.0.0.1:" + args[3]);
    closed.await();
  }
}
