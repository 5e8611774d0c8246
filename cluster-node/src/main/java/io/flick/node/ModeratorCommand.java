package io.flick.node;

import com.typesafe.config.ConfigFactory;
import io.flick.proto.admin.AdminServiceClient;
import io.flick.proto.admin.RoleReply;
import io.flick.proto.admin.RoleRequest;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * {@code ./flick moderator grant|revoke <handle-or-id> [--node host:port]}: grants or revokes the
 * moderator role through a running node's admin gRPC service (default {@code 127.0.0.1:8090}, the
 * dev node's). {@code FLICK_ADMIN_TOKEN} is sent when set.
 */
public final class ModeratorCommand {
  private ModeratorCommand() {}

  static final String USAGE =
      "usage: flick moderator grant|revoke <handle-or-user-id> [--node host:port]";

  public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.size() != 2 && args.size() != 4
        || !List.of("grant", "revoke").contains(args.get(0))
        || (args.size() == 4 && !args.get(2).equals("--node"))) {
      err.println(USAGE);
      return 2;
    }
    boolean grant = args.get(0).equals("grant");
    String node = args.size() == 4 ? args.get(3) : "127.0.0.1:8090";
    int colon = node.lastIndexOf(':');
    if (colon < 1) {
      err.println("--node must be host:port, not " + node);
      return 2;
    }
    String token = System.getenv().getOrDefault("FLICK_ADMIN_TOKEN", "");
    // a client-only actor system: no cluster, no remoting, nothing of the node's config
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "flick-admin",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off")
                .withFallback(ConfigFactory.defaultReference()));
    try {
      GrpcClientSettings settings =
          GrpcClientSettings.connectToServiceAt(
                  node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)), system)
              .withTls(false);
      AdminServiceClient client = AdminServiceClient.create(settings, system);
      RoleRequest request =
          RoleRequest.newBuilder()
              .setUser(args.get(1))
              .setOperator(System.getProperty("user.name", "operator"))
              .build();
      var call = grant ? client.grantModerator() : client.revokeModerator();
      if (!token.isEmpty()) {
        call = call.addHeader(OperatorToken.HEADER, token);
      }
      RoleReply reply = call.invoke(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
      out.println((reply.getModerator() ? "moderator: " : "not a moderator: ") + reply.getUserId());
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return 0;
    } catch (ExecutionException e) {
      err.println("could not " + args.get(0) + " the role: " + e.getCause().getMessage());
      return 1;
    } finally {
      system.terminate();
    }
  }
}
