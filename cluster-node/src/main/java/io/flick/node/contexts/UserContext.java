package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.node.infra.Infra;
import io.flick.user.AccountService;
import io.flick.user.SocialService;
import io.flick.user.UserActor;
import io.flick.user.likes.LikeInteractionsProjection;
import io.flick.user.profile.UserProfileStream;
import java.util.function.Consumer;

/**
 * The user context on this node: UserActors (hosted on {@code entities} nodes, proxies elsewhere)
 * with the For You feed they serve, the accounts table, the likes outbox ({@code projections}), and
 * on {@code feed} nodes the stream that teaches profiles from the interactions topic.
 */
public record UserContext(AccountService accounts, SocialService social) {

  public static UserContext start(Infra infra, ForYouBuilder forYou, Consumer<String> progress) {
    UserActor.init(infra.system(), forYou);
    AccountService accounts =
        new AccountService(infra.system(), infra.cql(), infra.keyspace(), infra.askTimeout());
    SocialService social = new SocialService(infra.system(), infra.askTimeout());
    // the likes outbox: journaled likes to the interactions topic, on the projections nodes
    LikeInteractionsProjection.start(
        infra.system(), new InteractionPublisher(infra.producer()), infra.projections());
    if (NodeRoles.has(infra.system(), NodeRoles.FEED)
        && infra.config().getBoolean("flick.interactions.learn-profiles")) {
      new UserProfileStream(
              infra.system(),
              InteractionStreamSettings.from(infra.config()),
              social,
              infra.kafka().bootstrapServers(),
              infra.metrics().registry())
          .start();
      progress.accept("user        profiles learning from the interactions topic");
    }
    return new UserContext(accounts, social);
  }
}
