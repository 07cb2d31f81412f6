package dev.canopy.storage.kv.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How partitions are shared out among members, as Riak's claim does it: evenly (counts differ by
 * a small bound) and so that any {@code targetN} consecutive partitions have distinct owners
 * wherever the member count allows it, so a key's N primaries sit on N different machines. A
 * join takes partitions only for the new node and only from the most loaded owners; a leave gives
 * only the leaving node's partitions away: nothing else moves. When the greedy step cannot keep
 * owners distinct, a local repair moves the fewest partitions it can.
 */
final class Claim {

  private Claim() {}

  /** A fresh ring over sorted members: round robin, then the seam where it wraps repaired. */
  static String[] fresh(List<String> members, int partitions, int targetN) {
    String[] owners = new String[partitions];
    for (int i = 0; i < partitions; i++) {
      owners[i] = members.get(i % members.size());
    }
    repair(owners, members, targetN);
    return owners;
  }

  static String[] join(String[] current, List<String> members, String joining, int targetN) {
    String[] owners = current.clone();
    targetN = members.size() > targetN ? targetN : 1;
    int want = owners.length / members.size();
    Map<String, Integer> counts = counts(owners, members);
    while (counts.get(joining) < want) {
      int taken = takeOne(owners, members, counts, joining, targetN);
      if (taken < 0) {
        break;
      }
      counts.merge(owners[taken], -1, Integer::sum);
      owners[taken] = joining;
      counts.merge(joining, 1, Integer::sum);
    }
    return repairedOrFresh(owners, members, targetN);
  }

  static String[] leave(String[] current, List<String> members, String leaving, int targetN) {
    String[] owners = current.clone();
    targetN = members.size() > targetN ? targetN : 1;
    Map<String, Integer> counts = counts(owners, members);
    for (int i = 0; i < owners.length; i++) {
      if (!owners[i].equals(leaving)) {
        continue;
      }
      String best = null;
      boolean bestFits = false;
      for (String m : members) {
        boolean fits = !conflicts(owners, i, m, targetN);
        if (best == null
            || (fits && !bestFits)
            || (fits == bestFits && counts.get(m) < counts.get(best))) {
          best = m;
          bestFits = fits;
        }
      }
      owners[i] = best;
      counts.merge(best, 1, Integer::sum);
    }
    return repairedOrFresh(owners, members, targetN);
  }

  /**
   * The ring repaired and rebalanced; when that cannot make every window distinct or keep counts
   * within {@link #SPREAD_MAX} (small rings, few spare members, long histories of joins and
   * leaves), a fresh claim, which moves more partitions but keeps both promises.
   */
  private static String[] repairedOrFresh(String[] owners, List<String> members, int targetN) {
    repair(owners, members, targetN);
    rebalance(owners, members, targetN);
    for (int i = 0; i < owners.length; i++) {
      if (conflicts(owners, i, owners[i], targetN)) {
        return fresh(members, owners.length, targetN);
      }
    }
    Map<String, Integer> counts = counts(owners, members);
    int spread = counts.values().stream().max(Integer::compare).orElse(0)
        - counts.values().stream().min(Integer::compare).orElse(0);
    return spread > SPREAD_MAX ? fresh(members, owners.length, targetN) : owners;
  }

  /**
   * Moves partitions from the most to the least loaded member, where the move keeps windows
   * distinct, until counts differ by at most one or no such move exists (bounded by the
   * partition count).
   */
  private static void rebalance(String[] owners, List<String> members, int targetN) {
    Map<String, Integer> counts = counts(owners, members);
    for (int step = 0; step < owners.length; step++) {
      int max = counts.values().stream().max(Integer::compare).orElse(0);
      int min = counts.values().stream().min(Integer::compare).orElse(0);
      if (max - min <= 1) {
        return;
      }
      int movedAt = -1;
      String movedTo = null;
      for (int i = 0; i < owners.length; i++) {
        if (counts.get(owners[i]) != max) {
          continue;
        }
        for (String m : members) {
          if (counts.get(m) <= max - 2 && !conflicts(owners, i, m, targetN)
              && (movedTo == null || counts.get(m) < counts.get(movedTo))) {
            movedAt = i;
            movedTo = m;
          }
        }
      }
      if (movedTo == null) {
        return;
      }
      reassign(owners, counts, movedAt, movedTo);
    }
  }

  /** A partition of the most loaded owner that {@code joining} can take without a conflict, or -1. */
  private static int takeOne(
      String[] owners, List<String> members, Map<String, Integer> counts, String joining,
      int targetN) {
    List<String> donors = new ArrayList<>(members);
    donors.remove(joining);
    donors.sort(Comparator.comparing((String m) -> -counts.get(m)).thenComparing(m -> m));
    for (String donor : donors) {
      if (counts.get(donor) <= counts.get(joining) + 1) {
        return -1;
      }
      for (int i = 0; i < owners.length; i++) {
        if (owners[i].equals(donor) && !conflicts(owners, i, joining, targetN)) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Fixes partitions whose owner also owns one of the {@code targetN - 1} partitions either side:
   * each gets a less loaded member that fits there, else trades owners with a partition where
   * both fit (which keeps the balance), else the least loaded member that fits. Only where
   * members outnumber targetN can every window be distinct (with exactly targetN members, only
   * when targetN divides the partition count), so with fewer it leaves the ring as it is.
   */
  static void repair(String[] owners, List<String> members, int targetN) {
    if (members.size() <= targetN) {
      return;
    }
    Map<String, Integer> counts = counts(owners, members);
    for (int pass = 0; pass < REPAIR_PASSES_MAX; pass++) {
      boolean conflicted = false;
      for (int i = 0; i < owners.length; i++) {
        if (!conflicts(owners, i, owners[i], targetN)) {
          continue;
        }
        conflicted = true;
        String lighter = leastLoadedFitting(owners, members, counts, i, targetN);
        if (lighter != null && counts.get(lighter) < counts.get(owners[i])) {
          reassign(owners, counts, i, lighter);
        } else if (!swapToFit(owners, i, targetN) && lighter != null) {
          reassign(owners, counts, i, lighter);
        }
      }
      if (!conflicted) {
        return;
      }
    }
  }

  private static final int REPAIR_PASSES_MAX = 4;
  /** How far apart two members' partition counts may drift before a fresh claim evens them out. */
  static final int SPREAD_MAX = 2;

  private static String leastLoadedFitting(
      String[] owners, List<String> members, Map<String, Integer> counts, int i, int targetN) {
    String best = null;
    for (String m : members) {
      if (!conflicts(owners, i, m, targetN)
          && (best == null || counts.get(m) < counts.get(best))) {
        best = m;
      }
    }
    return best;
  }

  private static void reassign(String[] owners, Map<String, Integer> counts, int i, String to) {
    counts.merge(owners[i], -1, Integer::sum);
    owners[i] = to;
    counts.merge(to, 1, Integer::sum);
  }

  /** Trades the owners of {@code i} and some other partition if both then fit; whether it did. */
  private static boolean swapToFit(String[] owners, int i, int targetN) {
    for (int j = 0; j < owners.length; j++) {
      if (owners[j].equals(owners[i])) {
        continue;
      }
      swap(owners, i, j);
      if (!conflicts(owners, i, owners[i], targetN) && !conflicts(owners, j, owners[j], targetN)) {
        return true;
      }
      swap(owners, i, j);
    }
    return false;
  }

  private static void swap(String[] owners, int i, int j) {
    String t = owners[i];
    owners[i] = owners[j];
    owners[j] = t;
  }

  /** Whether {@code node} owns any partition within {@code targetN - 1} of {@code i}, either side. */
  static boolean conflicts(String[] owners, int i, String node, int targetN) {
    int q = owners.length;
    if (targetN <= 1) {
      return false;
    }
    for (int d = 1; d < targetN && d < q; d++) {
      if (owners[(i + d) % q].equals(node) || owners[Math.floorMod(i - d, q)].equals(node)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Integer> counts(String[] owners, List<String> members) {
    Map<String, Integer> counts = new HashMap<>();
    members.forEach(m -> counts.put(m, 0));
    Arrays.stream(owners).forEach(o -> counts.merge(o, 1, Integer::sum));
    return counts;
  }
}
