package io.flick.api.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * The node's Prometheus registry: JVM metrics, HTTP request counts and latencies, and whatever
 * other modules register (sharding entity counts, stream gauges, Kafka lag).
 */
public final class Metrics {
  private static final Pattern ID_SEGMENT = Pattern.compile("[a-z2-7]{26}|\\d+");

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

  /** Ids in a path become {id}, so labels stay bounded whatever clients ask for. */
  public static String routeTemplate(String path) {
    StringBuilder out = new StringBuilder();
    String[] segments = path.split("/");
    int kept = 0;
    String previous = "";
    for (String segment : segments) {
      if (segment.isEmpty()) {
        continue;
      }
      if (++kept > 6) {
        out.append("/…");
        break;
      }
      // hashtags and sound ids are names, not ids, but just as unbounded
      boolean name = previous.equals("hashtags") || previous.equals("sounds");
      out.append('/')
          .append(name ? "{name}" : ID_SEGMENT.matcher(segment).matches() ? "{id}" : segment);
      previous = segment;
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  public void recordHttp(String method, String path, int status, long nanos) {
    // a 404 may be any path a client made up: one label for all, so the label set stays bounded
    String route =
        status == 404 ? "unmatched" : path.startsWith("/media/") ? "/media/…" : routeTemplate(path);
    httpRequests.labelValues(method, route, Integer.toString(status)).inc();
    httpDuration.labelValues(method, route).observe(nanos / 1e9);
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
