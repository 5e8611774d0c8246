package io.flick.feed.eval;

/**
 * Partial selection of the K best items out of a full ranking, without sorting all of them: a
 * bounded heap, O(n log K). Higher score first; equal scores → lower index first (the smaller item
 * id, see {@link Catalog}); NaN counts as the lowest score; masked items are never selected.
 */
public final class TopK {
  private final int k;
  private final int[] heap; // heap[0] is the worst of the kept items
  private double[] scores;

  public TopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
    this.k = k;
    this.heap = new int[k];
  }

  /**
   * Selects into {@code out} (length ≥ K) the best unmasked items, best first; returns how many
   * (fewer than K only when fewer items are unmasked). {@code masked} may be null.
   */
  public int select(double[] scores, boolean[] masked, int[] out) {
    this.scores = scores;
    int size = 0;
    for (int i = 0; i < scores.length; i++) {
      if (masked != null && masked[i]) {
        continue;
      }
      if (size < k) {
        heap[size] = i;
        siftUp(size++);
      } else if (better(i, heap[0])) {
        heap[0] = i;
        siftDown(0, size);
      }
    }
    // pop worst-first into the tail of out: out ends best-first
    for (int n = size; n > 0; n--) {
      out[n - 1] = heap[0];
      heap[0] = heap[n - 1];
      siftDown(0, n - 1);
    }
    this.scores = null;
    return size;
  }

  private double score(int i) {
    double s = scores[i];
    return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
  }

  /** Whether item a ranks before item b. */
  private boolean better(int a, int b) {
    double sa = score(a);
    double sb = score(b);
    return sa > sb || (sa == sb && a < b);
  }

  private void siftUp(int pos) {
    int item = heap[pos];
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!better(heap[parent], item)) {
        break;
      }
      heap[pos] = heap[parent];
      pos = parent;
    }
    heap[pos] = item;
  }

  private void siftDown(int pos, int size) {
    int item = heap[pos];
    while (true) {
      int child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && better(heap[child], heap[child + 1])) {
        child++; // the worse child
      }
      if (!better(item, heap[child])) {
        break;
      }
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = item;
  }
}
