package io.flick.node;

import io.flick.common.projection.ReadSideProjections;
import io.flick.proto.ops.ClusterStateReply;
import io.flick.proto.ops.ClusterStateRequest;
import io.flick.proto.ops.DrainReply;
import io.flick.proto.ops.DrainRequest;
import io.flick.proto.ops.EntityTypeShards;
import io.flick.proto.ops.ListProjectionsRequest;
import io.flick.proto.ops.Member;
import io.flick.proto.ops.NodeShards;
import io.flick.proto.ops.OpsService;
import io.flick.proto.ops.OpsServiceHandlerFactory;
import io.flick.proto.ops.ProjectionInfo;
import io.flick.proto.ops.ProjectionList;
import io.flick.proto.ops.RebuildProjectionReply;
import io.flick.proto.ops.RebuildProjectionRequest;
import io.flick.proto.ops.ShardDistributionReply;
import io.flick.proto.ops.ShardDistributionRequest;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * The operations API ({@code proto/.../ops.proto}) on the api nodes' gRPC port: cluster state,
 * shard distribution (the same query as the {@code /ops} page's, {@link ClusterOps}), draining a
 * member, listing and rebuilding read-side projections ({@link ReadSideProjections}). Behind the
 * operators' token when one is set ({@link OperatorToken}).
 */
public final class OpsGrpc implements OpsService {
  private final ActorSystem<?> system;
  private final ClusterOps clusterOps;

  private OpsGrpc(ActorSystem<?> system) {
    this.system = system;
    this.clusterOps = new ClusterOps(system);
  }

  public static Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      ActorSystem<?> system, String token) {
    return OperatorToken.guard(
        OpsServiceHandlerFactory.create(new OpsGrpc(system), system), OpsService.name, token);
  }

  @Override
  public CompletionStage<ClusterStateReply> clusterState(ClusterStateRequest in) {
    Cluster cluster = Cluster.get(system);
    var state = cluster.state();
    ClusterStateReply.Builder reply =
        ClusterStateReply.newBuilder()
            .setSelf(cluster.selfMember().address().toString())
            .setLeader(state.getLeader() == null ? "" : state.getLeader().toString());
    for (org.apache.pekko.cluster.Member m : state.getMembers()) {
      reply.addMembers(
          Member.newBuilder()
              .setAddress(m.address().toString())
              .setStatus(m.status().toString())
              .addAllRoles(
                  m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList())
              .setAppVersion(m.appVersion().version())
              .setReachable(!state.getUnreachable().contains(m)));
    }
    return CompletableFuture.completedFuture(reply.build());
  }

  @Override
  public CompletionStage<ShardDistributionReply> shardDistribution(ShardDistributionRequest in) {
    String wanted = in.getEntityType().strip();
    List<EntityTypeKey<?>> types =
        ClusterOps.TYPES.stream().filter(t -> wanted.isEmpty() || t.name().equals(wanted)).toList();
    if (types.isEmpty()) {
      return invalid(
          "no entity type "
              + wanted
              + "; one of "
              + ClusterOps.TYPES.stream().map(EntityTypeKey::name).toList());
    }
    List<CompletableFuture<EntityTypeShards>> answers =
        types.stream()
            .map(
                type ->
                    clusterOps
                        .shards(type)
                        .thenApply(regions -> entityTypeShards(type.name(), regions))
                        .toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                ShardDistributionReply.newBuilder()
                    .addAllEntityTypes(answers.stream().map(CompletableFuture::join).toList())
                    .build());
  }

  private static EntityTypeShards entityTypeShards(
      String type, Optional<List<ClusterOps.RegionShards>> regions) {
    EntityTypeShards.Builder shards =
        EntityTypeShards.newBuilder().setEntityType(type).setAnswered(regions.isPresent());
    regions.orElse(List.of()).stream()
        .map(
            r ->
                NodeShards.newBuilder()
                    .setAddress(r.address())
                    .setShards(r.shards())
                    .setEntities(r.entities())
                    .setFailedShards(r.failedShards())
                    .build())
        .forEach(shards::addNodes);
    return shards.build();
  }

  @Override
  public CompletionStage<DrainReply> drain(DrainRequest in) {
    Address address;
    try {
      address = AddressFromURIString.parse(in.getAddress().strip());
    } catch (Exception e) { // Scala throws a checked MalformedURLException
      return invalid("address must be a member's address such as pekko://flick@10.0.0.7:25520");
    }
    Cluster cluster = Cluster.get(system);
    Optional<org.apache.pekko.cluster.Member> member =
        StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
            .filter(m -> m.address().equals(address))
            .findFirst();
    if (member.isEmpty()) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(
              Status.NOT_FOUND.withDescription("no member " + address + " in the cluster")));
    }
    // graceful: the leader moves it Leaving → Exiting → Removed once its shards have been handed
    // off
    cluster.manager().tell(Leave.create(address));
    return CompletableFuture.completedFuture(
        DrainReply.newBuilder()
            .setAddress(address.toString())
            .setStatus(member.get().status().toString())
            .build());
  }

  @Override
  public CompletionStage<ProjectionList> listProjections(ListProjectionsRequest in) {
    ProjectionList.Builder list = ProjectionList.newBuilder();
    ReadSideProjections.get(system)
        .all()
        .forEach(
            (name, tags) ->
                list.addProjections(ProjectionInfo.newBuilder().setName(name).addAllTags(tags)));
    return CompletableFuture.completedFuture(list.build());
  }

  @Override
  public CompletionStage<RebuildProjectionReply> rebuildProjection(RebuildProjectionRequest in) {
    String name = in.getName().strip();
    ReadSideProjections projections = ReadSideProjections.get(system);
    return projections
        .rebuild(name)
        .map(
            cleared ->
                cleared
                    .thenApply(
                        tags ->
                            RebuildProjectionReply.newBuilder()
                                .setName(name)
                                .addAllTags(tags)
                                .build())
                    .exceptionallyCompose(
                        error ->
                            CompletableFuture.failedFuture(
                                new GrpcServiceException(
                                    Status.UNAVAILABLE.withDescription(
                                        "not every instance of "
                                            + name
                                            + " answered (is a projections node up?): "
                                            + error.getMessage())))))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new GrpcServiceException(
                        Status.NOT_FOUND.withDescription(
                            "no projection " + name + "; one of " + projections.all().keySet()))));
  }

  private static <T> CompletionStage<T> invalid(String why) {
    return CompletableFuture.failedFuture(
        new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(why)));
  }
}
