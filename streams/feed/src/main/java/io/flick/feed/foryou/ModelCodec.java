package io.flick.feed.foryou;

import io.flick.feed.rank.RankerModel;
import io.flick.proto.events.RankerHead;
import io.flick.proto.events.RankerModelVersion;

/** {@link RankerModel} ↔ the {@code ranker-models} topic's protobuf. */
final class ModelCodec {
  private ModelCodec() {}

  static RankerModelVersion encode(RankerModel model) {
    RankerModelVersion.Builder out =
        RankerModelVersion.newBuilder()
            .setVersion(model.version())
            .setTrainedExamples(model.trainedExamples())
            .setCreatedAtEpochMs(model.createdAtMs());
    String[] heads = RankerModel.heads();
    for (int h = 0; h < heads.length; h++) {
      RankerHead.Builder head = RankerHead.newBuilder().setName(heads[h]);
      for (float z : model.state()[h][0]) {
        head.addZ(z);
      }
      for (float n : model.state()[h][1]) {
        head.addN(n);
      }
      out.addHeads(head);
    }
    return out.build();
  }

  static RankerModel decode(RankerModelVersion in) {
    String[] heads = RankerModel.heads();
    if (in.getHeadsCount() != heads.length) {
      throw new IllegalArgumentException(
          "ranker model " + in.getVersion() + " has " + in.getHeadsCount() + " heads");
    }
    float[][][] state = new float[heads.length][2][];
    for (int h = 0; h < heads.length; h++) {
      RankerHead head = in.getHeads(h);
      if (!head.getName().equals(heads[h]) || head.getZCount() != RankerModel.size()) {
        throw new IllegalArgumentException(
            "ranker model " + in.getVersion() + " does not fit this node's ranker");
      }
      state[h][0] = toArray(head.getZList());
      state[h][1] = toArray(head.getNList());
    }
    return new RankerModel(
        in.getVersion(), in.getTrainedExamples(), in.getCreatedAtEpochMs(), state);
  }

  private static float[] toArray(java.util.List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
