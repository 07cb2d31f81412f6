package dev.canopy.storage.kv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ring's properties over many member counts and partition counts: balance, distinct owners
 * for any targetN consecutive partitions, preference lists with fallbacks, and minimal movement
 * on join and leave.
 */
class RingTest {

  private static final int[] PARTITION_COUNTS = {8, 16, 32, 64, 128, 256};

  static List<String> nodes(int count) {
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      nodes.add("node" + i);
    }
    return nodes;
  }

  static Map<String, Integer> counts(Ring ring) {
    Map<String, Integer> counts = new HashMap<>();
    ring.members().forEach(m -> counts.put(m, 0));
    ring.owners().forEach(o -> counts.merge(o, 1, Integer::sum));
    return counts;
  }

  static int spread(Ring ring) {
    Map<String, Integer> c = counts(ring);
    return c.values().stream().max(Integer::compare).get()
        - c.values().stream().min(Integer::compare).get();
  }

  static void assertDistinctWindows(Ring ring, int n) {
    int q = ring.partitions();
    for (int p = 0; p < q; p++) {
      Set<String> window = new HashSet<>();
      for (int i = 0; i < n; i++) {
        window.add(ring.owner((p + i) % q));
      }
      assertThat(window).as("owners of %d partitions from %d in %s", n, p, ring.owners()).hasSize(n);
    }
  }

  @Test
  void aFreshRingIsBalancedAndKeepsThreeConsecutivePartitionsOnDistinctNodes() {
    for (int q : PARTITION_COUNTS) {
      for (int m = 1; m <= 12 && m <= q; m++) {
        Ring ring = Ring.create(nodes(m), q, 3);
        assertThat(spread(ring)).as("spread q=%d m=%d", q, m).isLessThanOrEqualTo(2);
        if (m > 3 || q % m == 0 && m == 3) {
          assertDistinctWindows(ring, Math.min(3, m));
        }
      }
    }
  }

  @Test
  void memberOrderDoesNotMatter() {
    assertThat(Ring.create(List.of("c", "a", "b", "d")))
        .isEqualTo(Ring.create(List.of("d", "b", "a", "c")));
  }

  @Test
  void aJoinMovesPartitionsOnlyToTheNewNodeAndKeepsBalanceAndDistinctness() {
    int minimal = 0;
    int total = 0;
    for (int q : PARTITION_COUNTS) {
      for (int m = 1; m < 10 && m < q; m++) {
        Ring ring = Ring.create(nodes(m), q, 3);
        String joining = "node" + (m + 1);
        RingChange change = ring.join(joining);
        total++;
        assertThat(change.ring().version()).isEqualTo(ring.version() + 1);
        for (PartitionMove move : change.moves()) {
          assertThat(move.from()).isEqualTo(ring.owner(move.partition()));
        }
        // Minimal: only the new node's fair share moves, and only to it.
        if (change.moves().stream().allMatch(mv -> mv.to().equals(joining))
            && change.moves().size() <= (q + m) / (m + 1) + 1) {
          minimal++;
        }
        assertThat(spread(change.ring())).as("spread after join q=%d m=%d", q, m)
            .isLessThanOrEqualTo(Claim.SPREAD_MAX);
        if (m + 1 > 3) {
          assertDistinctWindows(change.ring(), 3);
        }
      }
    }
    // Tiny rings (8 or 16 partitions over few nodes) sometimes need a fresh claim.
    assertThat(minimal).as("minimal joins of %d", total).isGreaterThanOrEqualTo(total * 8 / 10);
  }

  @Test
  void aLeaveMovesFewPartitionsAndKeepsBalanceAndDistinctness() {
    int moved = 0;
    int owned = 0;
    int minimal = 0;
    int total = 0;
    for (int q : PARTITION_COUNTS) {
      for (int m = 5; m <= 10 && m < q; m++) {
        Ring ring = Ring.create(nodes(m), q, 3);
        for (String leaving : ring.members()) {
          RingChange change = ring.leave(leaving);
          total++;
          moved += change.moves().size();
          owned += ring.partitionsOwnedBy(leaving).size();
          assertThat(change.ring().members()).doesNotContain(leaving);
          assertThat(change.ring().owners()).doesNotContain(leaving);
          assertDistinctWindows(change.ring(), 3);
          assertThat(spread(change.ring())).isLessThanOrEqualTo(Claim.SPREAD_MAX);
          // A leaving node's partition can stay put only if some remaining node is outside its
          // window of 2 * (targetN - 1) neighbours: that takes at least 5 remaining nodes.
          if (m - 1 >= 5 && change.moves().stream().allMatch(mv -> mv.from().equals(leaving))) {
            minimal++;
          }
          if (m - 1 < 5) {
            total--;
          }
        }
      }
    }
    // The repair may move a neighbour now and then; mostly only the leaver's partitions move.
    // Measured: about a quarter of leaves move only the leaver's partitions; the rest also move
    // neighbours to keep windows distinct and counts even, about 2.8 partitions per one owned,
    // far from the fresh claim's near-total reshuffle.
    assertThat(minimal).as("minimal leaves of %d", total).isGreaterThanOrEqualTo(total / 5);
    assertThat(moved).as("partitions moved by leaves").isLessThanOrEqualTo(3 * owned);
  }

  @Test
  void joinsAndLeavesInRandomOrderKeepTheInvariants() {
    SplittableRandom random = new SplittableRandom(12);
    for (int run = 0; run < 50; run++) {
      Ring ring = Ring.create(nodes(4 + random.nextInt(3)), 64, 3);
      int next = 100;
      for (int step = 0; step < 12; step++) {
        boolean join = ring.members().size() < 5 || random.nextBoolean() && ring.members().size() < 12;
        RingChange change = join
            ? ring.join("node" + next++)
            : ring.leave(ring.members().get(random.nextInt(ring.members().size())));
        ring = change.ring();
        assertDistinctWindows(ring, 3);
        assertThat(spread(ring)).isLessThanOrEqualTo(Claim.SPREAD_MAX);
      }
    }
  }

  @Test
  void thePreferenceListIsTheNextNPartitionsOwnersWithFallbacksForDownNodes() {
    Ring ring = Ring.create(nodes(5), 64, 3);
    int p = ring.partitionOf("bucket", "key");
    List<Replica> all = ring.preferenceList(p, 3, n -> true);
    assertThat(all).extracting(Replica::partition).containsExactly(p, (p + 1) % 64, (p + 2) % 64);
    assertThat(all).allMatch(Replica::primary);
    assertThat(all).extracting(Replica::node).doesNotHaveDuplicates();

    String down = all.get(1).node();
    List<Replica> sloppy = ring.preferenceList(p, 3, n -> !n.equals(down));
    assertThat(sloppy).hasSize(3);
    assertThat(sloppy.get(1).primary()).isFalse();
    assertThat(sloppy.get(1).hintFor()).isEqualTo(down);
    assertThat(sloppy.get(1).partition()).isEqualTo(all.get(1).partition());
    assertThat(sloppy).extracting(Replica::node).doesNotHaveDuplicates().doesNotContain(down);

    // One node up of five: it stands in for as many as it can (one), and the primaries nobody is
    // left to replace are still asked rather than dropped.
    List<Replica> lonely = ring.preferenceList(p, 3, n -> n.equals("node1"));
    assertThat(lonely).hasSize(3).extracting(Replica::partition)
        .containsExactly(p, (p + 1) % 64, (p + 2) % 64);
    assertThat(lonely).extracting(Replica::node).contains("node1");
  }

  @Test
  void aPrimaryBelievedDownWithNoNodeLeftToStandInForItIsStillAsked() {
    Ring ring = Ring.create(nodes(3), 64, 3);
    int p = ring.partitionOf("bucket", "key");
    List<Replica> all = ring.preferenceList(p, 3, n -> true);
    String dead = all.get(0).node();
    String believedDown = all.get(2).node();

    List<Replica> list = ring.preferenceList(p, 3, n -> !n.equals(dead) && !n.equals(believedDown));
    assertThat(list).containsExactlyElementsOf(all);
    assertThat(list).allMatch(Replica::primary);
  }

  @Test
  void keysSpreadOverPartitionsAndTheHashSeparatesBucketFromKey() {
    Ring ring = Ring.create(nodes(5));
    int[] hits = new int[ring.partitions()];
    for (int i = 0; i < 64_000; i++) {
      hits[ring.partitionOf("b", "k" + i)]++;
    }
    for (int h : hits) {
      assertThat(h).isBetween(700, 1300);
    }
    assertThat(KeyHash.encode("ab", "c")).isNotEqualTo(KeyHash.encode("a", "bc"));
  }

  @Test
  void aRingSurvivesItsByteFormAndGarbageIsRefused() {
    Ring ring = Ring.create(nodes(5)).withBucketProps("b", BucketProps.defaults(5).withNVal(2));
    assertThat(RingCodec.decode(RingCodec.encode(ring))).isEqualTo(ring);
    assertThat(ring.withBucketProps("b", null).bucketProps("b")).isEmpty();
    assertThatThrownBy(() -> RingCodec.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(InvalidRequestException.class);
  }
}
