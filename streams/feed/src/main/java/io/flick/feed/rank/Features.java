package io.flick.feed.rank;

/**
 * The ranker's dense features for one (viewer, video) pair; {@link #NAMES} says what each is. All
 * are scaled to about [0, 1] so one learning rate suits them all.
 */
final class Features {
  static final String[] NAMES = {
    "bias",
    "co_engagement",
    "popularity",
    "regional_popularity",
    "creator_affinity",
    "hashtag_affinity",
    "sound_affinity",
    "follows_creator",
    "freshness",
    "low_exposure",
    "co_engagement_x_popularity",
    "user_activity_x_popularity",
    "user_activity_x_co_engagement",
    "content_similarity",
    "content_similarity_x_sparse_user"
  };
  static final int DENSE = NAMES.length;

  private Features() {}
}
