package io.flick.video;

/**
 * Where a video's objects live in the bucket. The original stays private under {@code source}; what
 * players fetch lives under {@link #mediaPrefix}, the prefix that signed media URLs cover.
 */
public final class MediaKeys {
  private MediaKeys() {}

  public static String videoPrefix(String videoId) {
    return "videos/" + videoId + "/";
  }

  public static String source(String videoId) {
    return videoPrefix(videoId) + "source";
  }

  public static String mediaPrefix(String videoId) {
    return videoPrefix(videoId) + "media/";
  }

  public static String media(String videoId, String relative) {
    return mediaPrefix(videoId) + relative;
  }
}
