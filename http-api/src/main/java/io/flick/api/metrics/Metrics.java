package io.flick.api.metrics;

import io.flick.api.RouteTemplates;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The node's Prometheus registry: JVM metrics, HTTP request counts and latencies, and whatever
 * other modules register (sharding entity counts, stream gauges, Kafka lag).
 */
public final class Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
  private final Counter httpRequests;
  private final Histogram httpDuration;

  public Metrics() {
    JvmMetrics.builder().register(registry);
    httpRequests =
        Counter.builder()
            .name("flick_http_requests_total")
            .help("HTTP requests answered, by method, route template and status")
            .labelNames("method", "route", "status")
            // no tracing here, so no trace ids to attach: exemplars would only cost each request
            .withoutExemplars()
            .register(registry);
    httpDuration =
        Histogram.builder()
            .name("flick_http_request_duration_seconds")
            .help("Time from request to response, by method and route template")
            .labelNames("method", "route")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .withoutExemplars()
            .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Counts one answered request. Labels come only from {@link RouteTemplates} and the fixed set of
   * methods and status codes, so no path a client makes up adds a series.
   */
  public void recordHttp(String method, String path, int status, long nanos) {
    String route = RouteTemplates.of(path);
    String verb = RouteTemplates.method(method);
    httpRequests.labelValues(verb, route, Integer.toString(status)).inc();
    httpDuration.labelValues(verb, route).observe(nanos / 1e9);
  }

  public byte[] scrape() {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      writer.write(out, registry.scrape());
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String contentType() {
    return writer.getContentType();
  }
}
