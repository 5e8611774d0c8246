package io.flick.feed.rank;

import java.util.List;

/**
 * One refill's candidates: {@code personalised} from following, co-engagement, content affinity and
 * regional trending; {@code exploration} fresh videos few have seen; {@code trending} the regional
 * hot list, newest-hottest first.
 */
public record Candidates(
    List<String> personalised, List<String> exploration, List<String> trending) {
  public Candidates {
    personalised = List.copyOf(personalised);
    exploration = List.copyOf(exploration);
    trending = List.copyOf(trending);
  }

  public int size() {
    return personalised.size() + exploration.size() + trending.size();
  }
}
