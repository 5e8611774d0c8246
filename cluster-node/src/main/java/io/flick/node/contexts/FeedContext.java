package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.feed.foryou.FeedModelStream;
import io.flick.feed.foryou.FeedSettings;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.feed.foryou.RankerTrainer;
import io.flick.feed.rank.Recommender;
import io.flick.node.infra.Infra;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed context on this node: the recommender, rebuilt from Kafka where feeds are served (the
 * UserActors' For You on {@code entities} nodes, anonymous and trending pages on {@code api}
 * nodes), the ranker trainer (a singleton on a {@code feed} node) and the cluster's hot lists
 * (written from {@code feed} nodes).
 */
public final class FeedContext {
  private static final Logger log = LoggerFactory.getLogger(FeedContext.class);

  private FeedContext() {}

  public static ForYouBuilder start(Infra infra, Consumer<String> progress) {
    ActorSystem<?> system = infra.system();
    FeedSettings feed = FeedSettings.from(infra.config());
    Recommender recommender = new Recommender(feed.model());
    recommender.setTraining(false);
    ForYouBuilder forYou =
        new ForYouBuilder(system, recommender, feed, infra.redis(), infra.metrics().registry());
    if (NodeRoles.has(system, NodeRoles.ENTITIES) || NodeRoles.has(system, NodeRoles.API)) {
      new FeedModelStream(
              system,
              feed,
              recommender,
              infra.kafka().bootstrapServers(),
              InteractionStreamSettings.from(infra.config()).restart(),
              infra.metrics().registry())
          .start();
      progress.accept("feed        recommender rebuilding from Kafka");
    }
    RankerTrainer.start(system, recommender, infra.producer(), feed.modelPublishInterval());
    if (NodeRoles.has(system, NodeRoles.FEED)) {
      system
          .scheduler()
          .scheduleWithFixedDelay(
              feed.hotListInterval(),
              feed.hotListInterval(),
              () -> {
                try {
                  forYou.writeHotLists(recommender.regions());
                } catch (RuntimeException e) {
                  log.debug("hot lists not written: {}", e.toString());
                }
              },
              infra.blocking());
      progress.accept("feed        ranker trainer singleton; hot lists written from here");
    }
    return forYou;
  }
}
