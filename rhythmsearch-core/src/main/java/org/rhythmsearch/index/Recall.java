package org.rhythmsearch.index;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Recall against exact search, counted one way everywhere (evaluation, tuning, benchmarks). */
public final class Recall {

  private Recall() {}

  /** The ids of the exact top {@code k} of {@code query}. */
  public static Set<Integer> truth(ExactIndex exact, float[] query, int k, Metric metric) {
    Set<Integer> t = new HashSet<>();
    for (Neighbor n : exact.search(query, k, metric, null)) {
      t.add(n.id());
    }
    return t;
  }

  /** How many of {@code answer}'s ids are in {@code truth}. */
  public static int hits(List<Neighbor> answer, Set<Integer> truth) {
    int found = 0;
    for (Neighbor n : answer) {
      if (truth.contains(n.id())) {
        found++;
      }
    }
    return found;
  }
}
