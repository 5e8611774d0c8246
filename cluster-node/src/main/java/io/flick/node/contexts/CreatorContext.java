package io.flick.node.contexts;

import io.flick.creator.CreatorActor;
import io.flick.creator.CreatorService;
import io.flick.creator.followers.FollowersProjection;
import io.flick.node.infra.Infra;

/**
 * The creator context on this node: CreatorActors (hosted on {@code entities} nodes) and the
 * followers projection (on {@code projections} nodes).
 */
public final class CreatorContext {
  private CreatorContext() {}

  public static CreatorService start(Infra infra) {
    CreatorActor.init(infra.system());
    CreatorService creators = new CreatorService(infra.system(), infra.askTimeout());
    FollowersProjection.start(infra.system(), creators, infra.projections());
    return creators;
  }
}
