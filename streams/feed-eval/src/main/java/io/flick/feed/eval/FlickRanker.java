package io.flick.feed.eval;

import io.flick.feed.rank.Engagement;
import io.flick.feed.rank.ItemItemTable;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.RecommenderParams;
import io.flick.feed.rank.VideoInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Flick's ranker under evaluation: the serving {@link Recommender}, trained online on the training
 * interactions in time order ({@link Recommender#learn}), ranking with {@link Recommender#scoreAll}
 * for the user's {@link Recommender#context}. No evaluation-only model.
 */
public final class FlickRanker implements Ranker {
  private final Recommender model;
  private final List<String> catalog;
  private final boolean content;

  private FlickRanker(Recommender model, Catalog catalog, boolean content) {
    this.model = model;
    this.content = content;
    String[] ids = new String[catalog.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = catalog.id(i);
    }
    this.catalog = Arrays.asList(ids);
  }

  /**
   * A fresh {@link Recommender} with these parameters that has learned every training interaction,
   * oldest first; with {@code videos} (may be empty) each engagement carries its video's creator
   * and hashtags, as the live stream's do.
   */
  public static FlickRanker train(
      RecommenderParams params, TrainingSet train, Map<String, VideoCatalogFile.Meta> videos) {
    return train(params, train, videos, Map.of());
  }

  /**
   * As {@link #train(RecommenderParams, TrainingSet, Map)}, every catalogue video with a content
   * vector in {@code features} first published with it (as the platform publishes a video at READY
   * with the vector its transcode computed), so videos no one engaged with are rankable.
   */
  public static FlickRanker train(
      RecommenderParams params,
      TrainingSet train,
      Map<String, VideoCatalogFile.Meta> videos,
      Map<String, float[]> features) {
    return train(params, train, videos, features, 1, new java.util.HashMap<>());
  }

  /**
   * As {@link #train(RecommenderParams, TrainingSet, Map, Map)}, then, when the parameters blend in
   * an item-item table, the table the live feed refits periodically, fitted from what the model
   * learned ({@link Recommender#fitItemItem}); {@code tables} keeps fits across candidates of the
   * same history length and table parameters (the fit depends on nothing else).
   */
  public static FlickRanker train(
      RecommenderParams params,
      TrainingSet train,
      Map<String, VideoCatalogFile.Meta> videos,
      Map<String, float[]> features,
      int threads,
      Map<String, ItemItemTable> tables) {
    Recommender model = new Recommender(params);
    Catalog catalog = train.catalog();
    for (int i = 0; i < catalog.size() && !features.isEmpty(); i++) {
      String id = catalog.id(i);
      float[] vector = features.get(id);
      if (vector != null) {
        VideoCatalogFile.Meta meta = videos.get(id);
        model.publish(
            new VideoInfo(
                id,
                meta == null ? null : meta.creatorId(),
                meta == null ? List.of() : meta.hashtags(),
                null,
                0,
                vector));
      }
    }
    for (Interaction i : train.inTimeOrder()) {
      VideoCatalogFile.Meta meta = videos.get(i.itemId());
      model.learn(
          meta == null
              ? Engagement.of(i.userId(), i.itemId(), i.weight(), i.timestamp())
              : new Engagement(
                  i.userId(),
                  i.itemId(),
                  meta.creatorId(),
                  meta.hashtags(),
                  null,
                  null,
                  i.weight(),
                  i.timestamp()));
    }
    if (params.itemItemWeight() > 0) {
      String key =
          params.historyPerUser()
              + "/"
              + params.itemItemLambda()
              + "/"
              + params.itemItemMaxItems()
              + "/"
              + params.neighboursPerItem();
      model.useItemItem(tables.computeIfAbsent(key, k -> model.fitItemItem(threads)));
    }
    return new FlickRanker(model, train.catalog(), !features.isEmpty());
  }

  @Override
  public boolean ranksItemsBeyondTrain() {
    return content;
  }

  public Recommender model() {
    return model;
  }

  @Override
  public void score(String userId, double[] out) {
    model.scoreAll(model.context(userId), catalog, out);
  }
}
