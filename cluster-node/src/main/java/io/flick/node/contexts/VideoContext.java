package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.creator.CreatorService;
import io.flick.node.infra.Infra;
import io.flick.node.infra.RedisDeadlineIndex;
import io.flick.video.DeadlineSweeper;
import io.flick.video.DeadlinesProjection;
import io.flick.video.VideoActor;
import io.flick.video.VideoService;
import io.flick.video.catalog.VideoCatalog;
import io.flick.video.comments.CommentActor;
import io.flick.video.comments.CommentInteractionsProjection;
import io.flick.video.comments.CommentService;
import io.flick.video.comments.CommentTable;
import io.flick.video.counters.VideoCounterStream;
import io.flick.video.index.VideoIndex;
import io.flick.video.listing.MediaRemoval;
import io.flick.video.listing.VideoListingProjection;
import io.flick.video.sound.SoundCatalog;
import io.flick.video.sound.SoundsProjection;
import io.flick.video.upload.UploadService;
import io.flick.video.upload.UploadSettings;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The video context on this node: VideoActors, CommentActors and the deadline sweeper ({@code
 * entities}), the upload service and comments (any node), the deadlines, video-listings and
 * comment-interactions projections ({@code projections}), and the write-back counters' stream from
 * the interactions topic ({@code feed}).
 */
public record VideoContext(
    VideoService videos,
    UploadService uploads,
    CommentService comments,
    VideoIndex index,
    SoundCatalog sounds) {

  public static VideoContext start(
      Infra infra, CreatorService creators, Consumer<String> progress) {
    ActorSystem<?> system = infra.system();
    VideoActor.init(system);
    CommentTable commentTable = new CommentTable(infra.cql(), infra.keyspace());
    CommentActor.init(system, commentTable);
    VideoService videos = new VideoService(system, infra.askTimeout());
    UploadSettings uploadSettings = UploadSettings.from(infra.config());
    RedisDeadlineIndex deadlines = new RedisDeadlineIndex(infra.redis(), infra.blocking());
    if (NodeRoles.has(system, NodeRoles.ENTITIES)) {
      DeadlineSweeper.start(system, videos, deadlines, uploadSettings.sweepInterval());
    }
    SoundCatalog sounds = new SoundCatalog(infra.cql(), infra.keyspace());
    UploadService uploads =
        new UploadService(
            videos,
            infra.s3().client(),
            infra.s3().presigner(),
            infra.s3().bucket(),
            infra.cql(),
            infra.keyspace(),
            infra.producer(),
            uploadSettings,
            Clock.systemUTC(),
            sounds);
    CommentService comments =
        new CommentService(system, infra.cql(), infra.keyspace(), infra.askTimeout());
    VideoIndex index = new VideoIndex(infra.cql(), infra.keyspace());

    // the read side: derived from the VideoActors' journal, on the projections nodes
    DeadlinesProjection.start(system, deadlines, infra.projections());
    VideoListingProjection.start(
        system,
        new VideoListingProjection.Listings(
            videos,
            index,
            creators,
            new VideoCatalog(infra.producer()),
            new MediaRemoval(infra.s3().client(), infra.s3().bucket())),
        infra.projections());
    SoundsProjection.start(system, sounds, infra.projections());
    CommentInteractionsProjection.start(
        system, commentTable, new InteractionPublisher(infra.producer()), infra.projections());

    if (NodeRoles.has(system, NodeRoles.FEED)) {
      new VideoCounterStream(
              system,
              InteractionStreamSettings.from(infra.config()),
              videos,
              infra.kafka().bootstrapServers(),
              infra.metrics().registry())
          .start();
      progress.accept("video       counters consuming the interactions topic");
    }
    return new VideoContext(videos, uploads, comments, index, sounds);
  }
}
