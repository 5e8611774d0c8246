package io.flick.video;

import io.flick.common.serialization.ClassRenames;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The video journal's events and snapshots were nested in {@link VideoActor} until it was split by
 * concern; this reads what was written under those names (registered in this module's
 * reference.conf). Keep it as long as any journal may hold them: forever.
 */
public final class VideoJournalRenames extends ClassRenames {
  private static final String OLD = "io.flick.video.VideoActor$";

  static final Map<String, String> NEW_NAMES =
      Stream.concat(
              Stream.of(
                      VideoEvent.Created.class,
                      VideoEvent.UploadCompleted.class,
                      VideoEvent.FirstRungPublished.class,
                      VideoEvent.Readied.class,
                      VideoEvent.Failed.class,
                      VideoEvent.Deleted.class,
                      VideoEvent.CountsFlushed.class)
                  .map(Class::getName),
              Stream.of(
                      VideoState.Empty.class,
                      VideoState.Uploading.class,
                      VideoState.Processing.class,
                      VideoState.Ready.class,
                      VideoState.Failure.class,
                      VideoState.Gone.class)
                  .map(Class::getName))
          .collect(Collectors.toMap(name -> OLD + name.substring(name.indexOf('$') + 1), n -> n));

  public VideoJournalRenames() {
    super(NEW_NAMES);
  }
}
