package io.flick.node;

import io.flick.proto.node.DescribeRequest;
import io.flick.proto.node.NodeDescription;
import io.flick.proto.node.NodeService;
import io.flick.proto.node.NodeServiceHandlerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/** The gRPC face of a node for operators and other nodes. */
public final class NodeGrpc implements NodeService {
  private final ActorSystem<?> system;

  private NodeGrpc(ActorSystem<?> system) {
    this.system = system;
  }

  public static Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      ActorSystem<?> system) {
    return NodeServiceHandlerFactory.create(new NodeGrpc(system), system);
  }

  @Override
  public CompletionStage<NodeDescription> describe(DescribeRequest in) {
    Cluster cluster = Cluster.get(system);
    Member self = cluster.selfMember();
    return CompletableFuture.completedFuture(
        NodeDescription.newBuilder()
            .setAddress(self.address().toString())
            .setAppVersion(self.appVersion().version())
            .addAllRoles(self.getRoles())
            .setMemberStatus(self.status().toString())
            .setClusterSize(cluster.state().members().size())
            .build());
  }
}
