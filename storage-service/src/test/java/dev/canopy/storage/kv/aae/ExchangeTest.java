package dev.canopy.storage.kv.aae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExchangeTest {

  /** 40 seeds for each shape: up to 3,000 keys, up to 40 divergences of every kind. */
  static Stream<Arguments> seedsAndShapes() {
    return HashTreeTest.SHAPES.stream()
        .flatMap(shape -> Stream.iterate(100L, s -> s + 1).limit(40).map(seed -> Arguments.of(seed, shape)));
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndShapes")
  void anExchangeReportsExactlyTheDivergedKeys(long seed, TreeShape shape) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    Replicas replicas = Replicas.diverged(seed, random.nextInt(3000), random.nextInt(41));
    HashTree a = Replicas.tree(shape, replicas.a);
    HashTree b = Replicas.tree(shape, replicas.b);

    ExchangeResult result = new Exchange().run(a, b);

    assertThat(result.differences()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(result.differences())).isEqualTo(replicas.expected);
    assertThat(result.complete()).isTrue();
    assertThat(a.rootHash() == b.rootHash()).isEqualTo(replicas.expected.isEmpty());
  }

  @Test
  void identicalTreesCostOneRootHash() {
    Replicas replicas = Replicas.diverged(1, 5000, 0);
    ExchangeResult result = new Exchange().run(Replicas.tree(TreeShape.DEFAULT, replicas.a), Replicas.tree(TreeShape.DEFAULT, replicas.b));
    assertThat(result.differences()).isEmpty();
    assertThat(result.levelHashesReceived()).isEqualTo(1);
    assertThat(result.keyHashesReceived()).isZero();
    assertThat(result.requests()).isEqualTo(1);
  }

  /**
   * The point of the tree: 10 divergences among 100,000 keys cost a few hundred hashes, under 2%
   * of what sending every key's hash would, and the level hashes are bounded by levels × width ×
   * divergences whatever the key count; only the listing of the differing segments grows with the
   * keys per segment.
   */
  @Test
  void theDataExchangedGrowsWithTheDivergencesNotTheKeys() {
    TreeShape shape = TreeShape.DEFAULT;
    int levelHashesBound = 1 + (shape.levelSizes().size() - 1) * shape.width() * 10;
    for (int keys : new int[] {10_000, 100_000}) {
      Replicas replicas = Replicas.diverged(keys, keys, 10);
      ExchangeResult result = new Exchange().run(Replicas.tree(shape, replicas.a), Replicas.tree(shape, replicas.b));

      assertThat(new HashSet<>(result.differences())).isEqualTo(replicas.expected);
      assertThat(result.levelHashesReceived()).as("level hashes for %d keys", keys).isLessThanOrEqualTo(levelHashesBound);
      assertThat(result.requests()).isEqualTo(shape.levelSizes().size() + 1);
      if (keys == 100_000) {
        assertThat(result.levelHashesReceived() + result.keyHashesReceived()).isLessThan(keys * 2 / 100);
      }
    }
    Replicas many = Replicas.diverged(7, 100_000, 100);
    ExchangeResult more = new Exchange().run(Replicas.tree(shape, many.a), Replicas.tree(shape, many.b));
    assertThat(new HashSet<>(more.differences())).isEqualTo(many.expected);
    assertThat(more.levelHashesReceived()).isGreaterThan(levelHashesBound);
  }

  @Test
  void anEmptyReplicaLearnsEveryKeyInBoundedRequests() {
    Replicas replicas = Replicas.diverged(3, 20_000, 0);
    HashTree full = Replicas.tree(TreeShape.DEFAULT, replicas.a);
    CountingRemote remote = new CountingRemote(full);

    ExchangeResult result = new Exchange(50_000).run(new HashTree(TreeShape.DEFAULT), remote);

    assertThat(result.differences()).hasSize(20_000).allMatch(d -> d.kind() == KeyDifference.Kind.MISSING_LOCALLY);
    assertThat(result.keyHashesReceived()).isEqualTo(20_000);
    assertThat(remote.largestHashBatch).isLessThanOrEqualTo(Exchange.HASHES_PER_REQUEST_MAX);
    assertThat(remote.largestSegmentBatch).isLessThanOrEqualTo(Exchange.SEGMENTS_PER_REQUEST_MAX);
    assertThat(remote.calls).isEqualTo(result.requests());
  }

  @Test
  void aLimitedExchangeStopsAtItsLimitAndTheNextOneFindsTheRest() {
    Replicas replicas = Replicas.diverged(11, 5000, 300);
    HashTree a = Replicas.tree(TreeShape.DEFAULT, replicas.a);
    HashTree b = Replicas.tree(TreeShape.DEFAULT, replicas.b);
    Exchange limited = new Exchange(100);
    Set<KeyDifference> found = new HashSet<>();
    for (int round = 0; round < 10; round++) {
      ExchangeResult result = limited.run(a, b);
      assertThat(result.differences()).hasSizeLessThanOrEqualTo(100);
      if (result.differences().isEmpty()) {
        break;
      }
      found.addAll(result.differences());
      result.differences().forEach(d -> repair(a, b, d)); // b is the truth here
      assertThat(result.complete()).isEqualTo(found.size() == 300);
    }
    assertThat(found).isEqualTo(replicas.expected);
    assertThat(a.rootHash()).isEqualTo(b.rootHash());
  }

  @Test
  void aRemoteThatListsKeysOutOfOrderIsRefusedNotMerged() {
    HashTree local = new HashTree(new TreeShape(1, 2));
    local.insert(new byte[] {1}, 1);
    RemoteTree unsorted = new RemoteTree() {
      @Override
      public TreeShape shape() {
        return local.shape();
      }

      @Override
      public long[] levelHashes(int level, int[] indexes) {
        return new long[] {42};
      }

      @Override
      public List<List<KeyHash>> keyHashes(int[] segments) {
        return List.of(List.of(new KeyHash(KeyBytes.of(new byte[] {2}), 1), new KeyHash(KeyBytes.of(new byte[] {1}), 1)));
      }
    };
    assertThatThrownBy(() -> new Exchange().run(local, unsorted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("out of order");
  }

  @Test
  void treesOfDifferentShapesAreNotCompared() {
    assertThatThrownBy(() -> new Exchange().run(new HashTree(TreeShape.DEFAULT), new HashTree(new TreeShape(4096, 8))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void repair(HashTree a, HashTree b, KeyDifference difference) {
    byte[] key = difference.key().bytes();
    b.keyHashes(new int[] {b.shape().segmentOf(key)}).get(0).stream()
        .filter(k -> k.key().equals(difference.key()))
        .findFirst()
        .ifPresentOrElse(k -> a.insert(key, k.objectHash()), () -> a.delete(key));
  }

  /** A remote side that records how it is asked, as a peer's request log would. */
  private static final class CountingRemote implements RemoteTree {
    private final RemoteTree tree;
    int calls;
    int largestHashBatch;
    int largestSegmentBatch;

    CountingRemote(RemoteTree tree) {
      this.tree = tree;
    }

    @Override
    public TreeShape shape() {
      return tree.shape();
    }

    @Override
    public long[] levelHashes(int level, int[] indexes) {
      calls++;
      largestHashBatch = Math.max(largestHashBatch, indexes.length);
      return tree.levelHashes(level, indexes);
    }

    @Override
    public List<List<KeyHash>> keyHashes(int[] segments) {
      calls++;
      largestSegmentBatch = Math.max(largestSegmentBatch, segments.length);
      return tree.keyHashes(segments);
    }
  }
}
