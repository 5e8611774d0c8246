package io.flick.feed.eval;

import io.flick.feed.rank.Engagement;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.RecommenderParams;
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

  private FlickRanker(Recommender model, Catalog catalog) {
    this.model = model;
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
    Recommender model = new Recommender(params);
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
    return new FlickRanker(model, train.catalog());
  }

  public Recommender model() {
    return model;
  }

  @Override
  public void score(String userId, double[] out) {
    model.scoreAll(model.context(userId), catalog, out);
  }
}
