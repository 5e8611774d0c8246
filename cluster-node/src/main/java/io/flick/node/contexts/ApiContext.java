package io.flick.node.contexts;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.api.HttpApi;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.RedisLoginThrottle;
import io.flick.api.auth.TokenService;
import io.flick.api.discover.DiscoverRoutes;
import io.flick.api.feed.FeedRoutes;
import io.flick.api.health.ReadinessCheck;
import io.flick.api.limits.BucketRateLimiter;
import io.flick.api.limits.RateLimitSettings;
import io.flick.api.limits.RateLimits;
import io.flick.api.media.MediaRoutes;
import io.flick.api.media.MediaSigner;
import io.flick.api.moderation.ModerationRoutes;
import io.flick.api.safety.SafetyRoutes;
import io.flick.api.search.SearchRoutes;
import io.flick.api.social.InteractionRoutes;
import io.flick.api.social.SocialRoutes;
import io.flick.api.social.ViewGuard;
import io.flick.api.social.ViewIntegrity;
import io.flick.api.social.ViewerCookie;
import io.flick.api.sound.SoundRoutes;
import io.flick.api.studio.StudioRoutes;
import io.flick.api.video.ReadyVideoCache;
import io.flick.api.video.VideoRoutes;
import io.flick.api.video.ViewerState;
import io.flick.api.web.WebRoutes;
import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.creator.CreatorService;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.moderation.ModerationSettings;
import io.flick.node.AdminGrpc;
import io.flick.node.ClusterOps;
import io.flick.node.NodeGrpc;
import io.flick.node.OpsGrpc;
import io.flick.node.infra.Infra;
import io.flick.proto.admin.AdminService;
import io.flick.proto.node.NodeService;
import io.flick.proto.ops.OpsService;
import io.flick.studio.StudioQueries;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.grpc.javadsl.ServerReflection;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * The public edge, only on {@code api} nodes: the HTTP API and web app, and the gRPC service for
 * nodes and tools. Routes reach the other contexts through their facades only.
 */
public record ApiContext(ServerBinding http, ServerBinding grpc) {

  /** Empty on a node without the api role. */
  public static Optional<ApiContext> start(
      Infra infra,
      UserContext users,
      CreatorService creators,
      VideoContext videos,
      ModerationContext moderation,
      ForYouBuilder forYou,
      StudioQueries studio,
      SearchContext search,
      List<ReadinessCheck> checks)
      throws Exception {
    if (!NodeRoles.has(infra.system(), NodeRoles.API)) {
      return Optional.empty();
    }
    Config config = infra.config();
    TokenService tokens =
        new TokenService(
            config.getString("flick.auth.jwt-secret"),
            config.getDuration("flick.auth.token-ttl"),
            Clock.systemUTC());
    MediaSigner signer =
        new MediaSigner(
            config.getString("flick.media.signing-secret"),
            config.getDuration("flick.media.url-ttl"),
            Clock.systemUTC());
    String publicUrl = config.getString("flick.http.public-url");
    InteractionPublisher interactions = new InteractionPublisher(infra.producer());
    // READY videos shared by the feed pages and the interaction routes
    ReadyVideoCache readyVideos =
        new ReadyVideoCache(videos.videos(), forYou.settings().videoCacheTtl());
    // the caller's likes on the videos a response shows
    ViewerState viewerState = new ViewerState(users.social());
    // trust and safety: rate limits (Redis buckets), one counted view per viewer per window,
    // the web app's browser policy (the S3 endpoint uploads go to, the media origin)
    RateLimits rateLimits =
        new RateLimits(
            RateLimitSettings.from(config),
            BucketRateLimiter.redis(infra.redis(), infra.blocking()),
            tokens);
    ViewIntegrity viewIntegrity =
        new ViewIntegrity(
            ViewGuard.redis(infra.redis(), ViewGuard.Settings.from(config), infra.blocking()),
            new ViewerCookie(config.getString("flick.auth.jwt-secret"), Clock.systemUTC()),
            rateLimits::clientAddress);
    WebRoutes.Settings webPolicy =
        WebRoutes.Settings.of(config.getString("flick.s3.endpoint"), publicUrl);
    SafetyRoutes safety =
        new SafetyRoutes(
            moderation.moderation(), users.accounts(), videos.videos(), readyVideos, tokens);
    ModerationRoutes moderationRoutes =
        new ModerationRoutes(
            videos.videos(),
            videos.comments(),
            moderation.reportQueue(),
            moderation.audit(),
            ModerationSettings.moderators(config),
            moderation.moderation()::isModerator);
    // the user object of GET /users/{id}, which search and suggestions reuse
    // sound titles on every video object, kept for a while on this node
    SoundRoutes soundRoutes =
        new SoundRoutes(
            videos.sounds(), users.accounts(), config.getDuration("flick.http.sound-title-ttl"));
    // a remix's facts name its source's creator by handle too
    videos
        .uploads()
        .withCreatorHandles(
            id ->
                users.accounts().account(id).thenApply(a -> a.map(io.flick.user.Account::handle)));
    Function<AuthDirectives, SocialRoutes> socialRoutes =
        auth ->
            new SocialRoutes(
                users.accounts(),
                users.social(),
                creators,
                videos.videos(),
                videos.comments(),
                interactions,
                readyVideos,
                signer,
                publicUrl,
                auth,
                soundRoutes);
    HttpApi api =
        new HttpApi(
            users.accounts(),
            tokens,
            new RedisLoginThrottle(infra.redis(), infra.blocking()),
            List.of(
                // before the social routes: /users/suggested is not a user id
                auth ->
                    new DiscoverRoutes(
                            forYou,
                            readyVideos,
                            users.accounts(),
                            users.social(),
                            socialRoutes.apply(auth)::profileOf,
                            soundRoutes,
                            signer,
                            publicUrl,
                            auth,
                            viewerState)
                        .routes(),
                auth ->
                    new InteractionRoutes(interactions, readyVideos, auth, viewIntegrity).routes(),
                safety::routes,
                moderationRoutes::routes,
                auth -> new StudioRoutes(studio, videos.videos(), auth).routes(),
                auth ->
                    new VideoRoutes(
                            videos.videos(),
                            videos.uploads(),
                            signer,
                            publicUrl,
                            auth,
                            viewerState,
                            soundRoutes)
                        .routes(),
                auth -> soundRoutes.routes(),
                auth -> socialRoutes.apply(auth).routes(),
                auth ->
                    new SearchRoutes(
                            search.search(),
                            videos.videos(),
                            users.social(),
                            socialRoutes.apply(auth)::profileOf,
                            signer,
                            publicUrl,
                            auth,
                            viewerState,
                            soundRoutes)
                        .routes(),
                auth ->
                    new FeedRoutes(
                            videos.index(),
                            videos.videos(),
                            users.social(),
                            creators,
                            signer,
                            publicUrl,
                            auth,
                            forYou,
                            readyVideos,
                            viewerState,
                            soundRoutes)
                        .routes()),
            // media, and the /ops page's view of the cluster (ClusterOps)
            Directives.concat(
                new MediaRoutes(signer, infra.s3().client(), infra.s3().bucket()).routes(),
                new ClusterOps(infra.system()).routes()),
            infra.metrics(),
            checks,
            config.getDuration("flick.readiness-timeout"),
            rateLimits,
            webPolicy,
            inner -> safety.hidingBlocked(() -> inner));

    ServerBinding http =
        Http.get(infra.system())
            .newServerAt(config.getString("flick.http.interface"), config.getInt("flick.http.port"))
            .bind(api.routes())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    http.addToCoordinatedShutdown(Duration.ofSeconds(10), infra.system());
    ServerBinding grpc =
        Http.get(infra.system())
            .newServerAt(config.getString("flick.grpc.interface"), config.getInt("flick.grpc.port"))
            .withSettings(
                ServerSettings.create(
                    ConfigFactory.parseString("pekko.http.server.preview.enable-http2 = on")
                        .withFallback(config)))
            .bind(
                ServiceHandler.concatOrNotFound(
                    NodeGrpc.handler(infra.system()),
                    AdminGrpc.handler(
                        infra.system(),
                        users.accounts(),
                        moderation.moderation(),
                        config.getString("flick.admin.token")),
                    OpsGrpc.handler(infra.system(), config.getString("flick.admin.token")),
                    // grpcurl-friendly: the services describe themselves
                    ServerReflection.create(
                        List.of(
                            NodeService.description,
                            AdminService.description,
                            OpsService.description),
                        infra.system())))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    grpc.addToCoordinatedShutdown(Duration.ofSeconds(5), infra.system());
    return Optional.of(new ApiContext(http, grpc));
  }
}
