package io.flick.common.kafka;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * What operators need to see backpressure in the Kafka-fed streams: elements through each named
 * segment ({@code flick_stream_elements_total{stream,segment}}: rate() of it is elements per
 * second; a segment whose rate falls behind the one before it is where the stream is held back),
 * elements inside each async stage ({@code flick_stream_in_flight{stream,segment}}: pinned at the
 * stage's parallelism means the stage is the bottleneck; at 0 with lag growing, upstream is), and
 * restarts ({@code flick_stream_restarts_total{stream}}). Labels are the streams' and segments'
 * names from code, so the label sets stay bounded. One per node's registry.
 */
public final class StreamMetrics {
  private final Counter elements;
  private final Counter restarts;
  private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();

  private static final Map<PrometheusRegistry, StreamMetrics> BY_REGISTRY =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The one instance of {@code registry} (a metric name registers once per registry). */
  public static StreamMetrics of(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, StreamMetrics::new);
  }

  private StreamMetrics(PrometheusRegistry registry) {
    this.elements =
        Counter.builder()
            .name("flick_stream_elements_total")
            .help("Elements through a named segment of a Kafka-fed stream")
            .labelNames("stream", "segment")
            .register(registry);
    this.restarts =
        Counter.builder()
            .name("flick_stream_restarts_total")
            .help("Times a Kafka-fed stream failed and restarted from its committed offsets")
            .labelNames("stream")
            .register(registry);
    GaugeWithCallback.builder()
        .name("flick_stream_in_flight")
        .help("Elements inside an async stage of a Kafka-fed stream now (at its parallelism: busy)")
        .labelNames("stream", "segment")
        .callback(
            cb ->
                inFlight.forEach(
                    (key, value) -> {
                      int slash = key.indexOf('/');
                      cb.call(value.get(), key.substring(0, slash), key.substring(slash + 1));
                    }))
        .register(registry);
  }

  /** Counts the elements that pass here as {@code segment} of {@code stream}. */
  public <T> Flow<T, T, NotUsed> count(String stream, String segment) {
    var counter = elements.labelValues(stream, segment);
    return Flow.<T>create()
        .map(
            element -> {
              counter.inc();
              return element;
            });
  }

  /** {@code stage} (a mapAsync's function), keeping count of the elements inside it. */
  public <A, B> Function<A, CompletionStage<B>> inFlight(
      String stream, String segment, Function<A, CompletionStage<B>> stage) {
    AtomicLong inside = inFlight.computeIfAbsent(stream + "/" + segment, k -> new AtomicLong());
    return element -> {
      inside.incrementAndGet();
      CompletionStage<B> result;
      try {
        result = stage.apply(element);
      } catch (Exception e) {
        inside.decrementAndGet();
        throw e;
      }
      return result.whenComplete((value, error) -> inside.decrementAndGet());
    };
  }

  /** For {@link KafkaConsumerStream#run}'s onRestart. */
  public void restarted(String stream) {
    restarts.labelValues(stream).inc();
  }
}
