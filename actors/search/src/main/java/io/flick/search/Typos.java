package io.flick.search;

/** Whether a word is a typo of another: the edit distance OpenSearch's AUTO fuzziness allows. */
final class Typos {
  private Typos() {}

  static boolean within(String word, String typed) {
    // compare with the word's start of the typed length: a typo in a prefix counts too
    String start = word.substring(0, Math.min(word.length(), typed.length()));
    return distance(start, typed) <= allowed(typed);
  }

  /** How many edits a typed word may be from what it means: none under 3 letters, 1 under 6. */
  static int allowed(String typed) {
    return typed.length() < 3 ? 0 : typed.length() < 6 ? 1 : 2;
  }

  /**
   * Edits between two words: a letter added, dropped or changed, or two neighbours swapped (as
   * OpenSearch's fuzzy queries and term suggester count them; the optimal string alignment
   * distance).
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
