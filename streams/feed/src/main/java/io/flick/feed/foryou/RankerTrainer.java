package io.flick.feed.foryou;

import io.flick.common.NodeRoles;
import io.flick.feed.rank.RankerModel;
import io.flick.feed.rank.Recommender;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster's one ranker trainer (a cluster singleton): while it runs on a node, that node's
 * recommender also trains its ranker on every engagement, and every {@code publishInterval} the
 * trainer cuts a version and publishes it to {@code ranker-models}, which every node installs. When
 * the singleton moves, the new node continues from the last version it installed.
 */
public final class RankerTrainer {
  private static final String KEY = "ranker";

  private enum Tick {
    INSTANCE
  }

  private RankerTrainer() {}

  public static void start(
      ActorSystem<?> system,
      Recommender recommender,
      Producer<String, byte[]> producer,
      Duration publishInterval) {
    SingletonActor<Tick> trainer =
        SingletonActor.of(
            Behaviors.supervise(create(recommender, producer, publishInterval))
                .onFailure(SupervisorStrategy.restart()),
            "ranker-trainer");
    // one in the cluster, on a node with the feed role
    ClusterSingleton.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.FEED)
                .map(
                    role ->
                        trainer.withSettings(
                            ClusterSingletonSettings.create(system).withRole(role)))
                .orElse(trainer));
  }

  static Behavior<Tick> create(
      Recommender recommender, Producer<String, byte[]> producer, Duration publishInterval) {
    return Behaviors.setup(
        ctx -> {
          recommender.setTraining(true);
          ctx.getLog().info("ranker trainer started on this node");
          long[] published = {recommender.trainedExamples()};
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay("publish", Tick.INSTANCE, publishInterval);
                return Behaviors.receive(Tick.class)
                    .onMessage(
                        Tick.class,
                        tick -> {
                          long examples = recommender.trainedExamples();
                          if (examples != published[0]) {
                            RankerModel model =
                                recommender.snapshotModel(System.currentTimeMillis());
                            producer.send(
                                new ProducerRecord<>(
                                    FeedModelStream.MODELS_TOPIC,
                                    KEY,
                                    ModelCodec.encode(model).toByteArray()),
                                (meta, error) -> {
                                  if (error != null) {
                                    ctx.getLog()
                                        .warn(
                                            "ranker version {} not published: {}",
                                            model.version(),
                                            error.toString());
                                  }
                                });
                            published[0] = examples;
                          }
                          return Behaviors.same();
                        })
                    .onSignal(
                        PostStop.class,
                        stop -> {
                          recommender.setTraining(false);
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }
}
