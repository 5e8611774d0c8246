package io.flick.api.health;

import java.util.concurrent.CompletionStage;

/** One dependency /ready looks at: the cluster membership, Cassandra, Kafka, S3, Redis. */
public interface ReadinessCheck {
  String name();

  /** Completes normally when the dependency answers; exceptionally with the reason otherwise. */
  CompletionStage<?> check();
}
