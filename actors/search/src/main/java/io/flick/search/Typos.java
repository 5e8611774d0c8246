package io.flick.search;

/** Whether a word is a typo of another: the edit distance OpenSearch's AUTO fuzziness allows. */
final class Typos {
  private Typos() {}

  static boolean within(String word, String typed) {
    int allowed = typed.length() < 3 ? 0 : typed.length() < 6 ? 1 : 2;
    // compare with the word's start of the typed length: a typo in a prefix counts too
    String start = word.substring(0, Math.min(word.length(), typed.length()));
    return distance(start, typed) <= allowed;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
