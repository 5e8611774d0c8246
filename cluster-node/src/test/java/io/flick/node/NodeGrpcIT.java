package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.proto.node.DescribeRequest;
import io.flick.proto.node.NodeDescription;
import io.flick.proto.node.NodeServiceClient;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nodes speak Pekko gRPC: a generated client describes the running node. */
@Timeout(120)
class NodeGrpcIT {
  private final TestCluster cluster = TestCluster.get();

  @Test
  void describesTheNodeOverGrpc() throws Exception {
    var system = cluster.node().system();
    NodeServiceClient client =
        NodeServiceClient.create(
            GrpcClientSettings.connectToServiceAt("127.0.0.1", cluster.node().grpcPort(), system)
                .withTls(false),
            system);
    try {
      NodeDescription description =
          client
              .describe(DescribeRequest.getDefaultInstance())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(description.getMemberStatus()).isEqualTo("Up");
      assertThat(description.getClusterSize()).isEqualTo(1);
      assertThat(description.getRolesList()).contains("api", "entities", "transcode", "feed");
      assertThat(description.getAppVersion())
          .isEqualTo(cluster.config().getString("pekko.cluster.app-version"));
    } finally {
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
