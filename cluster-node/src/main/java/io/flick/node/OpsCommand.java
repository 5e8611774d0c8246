package io.flick.node;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.typesafe.config.ConfigFactory;
import io.flick.proto.ops.ClusterStateRequest;
import io.flick.proto.ops.DrainRequest;
import io.flick.proto.ops.ListProjectionsRequest;
import io.flick.proto.ops.OpsServiceClient;
import io.flick.proto.ops.RebuildProjectionRequest;
import io.flick.proto.ops.ShardDistributionRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * {@code ./flick ops state | shards [EntityType] | drain <address> | projections | rebuild <name>
 * [--node host:port]}: the operations gRPC API ({@link OpsGrpc}) of a running node (default {@code
 * 127.0.0.1:8090}), answers printed in protobuf text format. {@code FLICK_ADMIN_TOKEN} is sent when
 * set.
 */
public final class OpsCommand {
  private OpsCommand() {}

  static final String USAGE =
      "usage: flick ops state | shards [EntityType] | drain <address> | projections"
          + " | rebuild <projection> [--node host:port]";

  public static int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
    List<String> args = new ArrayList<>(arguments);
    String node = "127.0.0.1:8090";
    int flag = args.indexOf("--node");
    if (flag >= 0) {
      if (flag + 1 >= args.size()) {
        err.println(USAGE);
        return 2;
      }
      node = args.get(flag + 1);
      args.subList(flag, flag + 2).clear();
    }
    int colon = node.lastIndexOf(':');
    if (args.isEmpty() || colon < 1) {
      err.println(USAGE);
      return 2;
    }
    String command = args.get(0);
    String argument = args.size() > 1 ? args.get(1) : "";
    boolean needsArgument = command.equals("drain") || command.equals("rebuild");
    if (!List.of("state", "shards", "drain", "projections", "rebuild").contains(command)
        || (needsArgument && argument.isEmpty())
        || args.size() > 2) {
      err.println(USAGE);
      return 2;
    }
    String token = System.getenv().getOrDefault("FLICK_ADMIN_TOKEN", "");
    // a client-only actor system: no cluster, no remoting, nothing of the node's config
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "flick-ops",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off")
                .withFallback(ConfigFactory.defaultReference()));
    try {
      OpsServiceClient client =
          OpsServiceClient.create(
              GrpcClientSettings.connectToServiceAt(
                      node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)), system)
                  .withTls(false),
              system);
      CompletionStage<? extends Message> call =
          switch (command) {
            case "state" ->
                client
                    .clusterState()
                    .addHeader(OperatorToken.HEADER, token)
                    .invoke(ClusterStateRequest.getDefaultInstance());
            case "shards" ->
                client
                    .shardDistribution()
                    .addHeader(OperatorToken.HEADER, token)
                    .invoke(ShardDistributionRequest.newBuilder().setEntityType(argument).build());
            case "drain" ->
                client
                    .drain()
                    .addHeader(OperatorToken.HEADER, token)
                    .invoke(DrainRequest.newBuilder().setAddress(argument).build());
            case "projections" ->
                client
                    .listProjections()
                    .addHeader(OperatorToken.HEADER, token)
                    .invoke(ListProjectionsRequest.getDefaultInstance());
            default ->
                client
                    .rebuildProjection()
                    .addHeader(OperatorToken.HEADER, token)
                    .invoke(RebuildProjectionRequest.newBuilder().setName(argument).build());
          };
      Message reply = call.toCompletableFuture().get(60, TimeUnit.SECONDS);
      out.print(TextFormat.printer().printToString(reply));
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return 0;
    } catch (ExecutionException e) {
      err.println("ops " + command + " failed: " + e.getCause().getMessage());
      return 1;
    } finally {
      system.terminate();
    }
  }
}
