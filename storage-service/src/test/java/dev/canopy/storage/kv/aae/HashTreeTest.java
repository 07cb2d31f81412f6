package dev.canopy.storage.kv.aae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.backend.MemoryBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HashTreeTest {

  static final List<TreeShape> SHAPES = List.of(TreeShape.DEFAULT, new TreeShape(1000, 7), new TreeShape(1, 2),
      new TreeShape(64, 64), new TreeShape(65, 8));

  /** 20 seeds for each shape, including segment counts that are not a power of the width. */
  static Stream<Arguments> seedsAndShapes() {
    return SHAPES.stream().flatMap(shape -> Stream.iterate(1L, s -> s + 1).limit(20).map(seed -> Arguments.of(seed, shape)));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndShapes")
  void treesOfTheSameRecordsHaveEqualRootsWhateverTheWayThere(long seed, TreeShape shape) {
    SplittableRandom random = new SplittableRandom(seed);
    Replicas same = Replicas.diverged(seed, random.nextInt(2000), 0);
    HashTree inOrder = Replicas.tree(shape, same.a);

    // The other tree: shuffled, with detours (keys added then deleted, objects replaced then put
    // back) and rehashes at random moments in between.
    HashTree roundabout = new HashTree(shape);
    List<Map.Entry<ByteBuffer, Long>> records = new ArrayList<>(same.a.entrySet());
    Collections.shuffle(records, new Random(seed));
    for (Map.Entry<ByteBuffer, Long> record : records) {
      byte[] key = Replicas.bytes(record.getKey());
      if (random.nextInt(5) == 0) {
        roundabout.insert(key, record.getValue() ^ 1);
      }
      byte[] extra = Replicas.bytes(Replicas.randomKey(random));
      boolean temporary = !same.a.containsKey(ByteBuffer.wrap(extra));
      if (temporary) {
        roundabout.insert(extra, random.nextLong());
      }
      if (random.nextInt(50) == 0) {
        roundabout.update();
      }
      roundabout.insert(key, record.getValue());
      if (temporary) {
        roundabout.delete(extra);
      }
    }
    assertThat(roundabout.rootHash()).isEqualTo(inOrder.rootHash());
    assertThat(roundabout.keyCount()).isEqualTo(inOrder.keyCount()).isEqualTo(same.a.size());
    assertThat(inOrder.rootHash() == TreeHashes.EMPTY).isEqualTo(same.a.isEmpty());
  }

  @Test
  void everyChangeChangesTheRootAndUndoingItRestoresIt() {
    HashTree tree = new HashTree(TreeShape.DEFAULT);
    assertThat(tree.rootHash()).isEqualTo(TreeHashes.EMPTY);
    tree.insert(bytes("a"), 1);
    long one = tree.rootHash();
    assertThat(one).isNotEqualTo(TreeHashes.EMPTY);
    tree.insert(bytes("b"), 2);
    long two = tree.rootHash();
    assertThat(two).isNotEqualTo(one);
    tree.insert(bytes("b"), 3);
    assertThat(tree.rootHash()).isNotEqualTo(two).isNotEqualTo(one);
    tree.insert(bytes("b"), 2);
    assertThat(tree.rootHash()).isEqualTo(two);
    tree.delete(bytes("b"));
    tree.delete(bytes("never there"));
    assertThat(tree.rootHash()).isEqualTo(one);
    tree.delete(bytes("a"));
    assertThat(tree.rootHash()).isEqualTo(TreeHashes.EMPTY);
    assertThat(tree.keyCount()).isZero();
  }

  @Test
  void aKeyAndItsObjectHashAreHashedApart() {
    // Lengths go into a segment's hash: key "ab" with one object differs from key "a" + "b…".
    TreeShape single = new TreeShape(1, 2);
    HashTree one = new HashTree(single);
    one.insert(bytes("ab"), 7);
    HashTree other = new HashTree(single);
    other.insert(bytes("a"), 7);
    assertThat(one.rootHash()).isNotEqualTo(other.rootHash());
  }

  @Test
  void aTreeBuiltFromABackendFoldEqualsOneBuiltWriteByWrite() {
    MemoryBackend backend = new MemoryBackend();
    HashTree incremental = new HashTree(TreeShape.DEFAULT);
    for (int i = 0; i < 3000; i++) {
      byte[] key = bytes("bucket/key-" + i);
      byte[] value = bytes("value " + i * 31);
      backend.put(9, key, value, false);
      incremental.insert(key, TreeHashes.objectHash(value));
    }
    backend.put(8, bytes("another partition"), bytes("v"), false);
    HashTree built = HashTree.build(TreeShape.DEFAULT, each -> backend.fold(9, each));
    assertThat(built.rootHash()).isEqualTo(incremental.rootHash());
    assertThat(built.keyCount()).isEqualTo(3000);
  }

  @Test
  void levelsHaveTheShapesSizes() {
    assertThat(TreeShape.DEFAULT.levelSizes()).containsExactly(1, 16, 256, 4096);
    assertThat(new TreeShape(1000, 7).levelSizes()).containsExactly(1, 3, 21, 143, 1000);
    assertThat(new TreeShape(1, 2).levelSizes()).containsExactly(1);
    assertThat(new TreeShape(65, 8).levelSizes()).containsExactly(1, 2, 9, 65);
    HashTree tree = new HashTree(new TreeShape(65, 8));
    tree.insert(bytes("k"), 1);
    int segment = tree.shape().segmentOf(bytes("k"));
    assertThat(tree.levelHashes(3, new int[] {segment})[0]).isNotEqualTo(TreeHashes.EMPTY);
    assertThat(tree.levelHashes(2, new int[] {segment / 8})[0]).isNotEqualTo(TreeHashes.EMPTY);
    assertThat(tree.levelHashes(1, new int[] {segment / 64})[0]).isNotEqualTo(TreeHashes.EMPTY);
    int otherHalf = segment / 64 == 0 ? 1 : 0;
    assertThat(tree.levelHashes(1, new int[] {otherHalf})[0]).isEqualTo(TreeHashes.EMPTY);
    assertThat(tree.levelHashes(0, new int[] {0})[0]).isEqualTo(tree.rootHash());
    assertThat(tree.keyHashes(new int[] {segment}).get(0)).containsExactly(new KeyHash(KeyBytes.of(bytes("k")), 1));
  }

  @Test
  void badShapesAndIndexesAreRefused() {
    assertThatThrownBy(() -> new TreeShape(0, 16)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TreeShape(TreeShape.SEGMENTS_MAX + 1, 16)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TreeShape(16, 1)).isInstanceOf(IllegalArgumentException.class);
    HashTree tree = new HashTree(TreeShape.DEFAULT);
    assertThatThrownBy(() -> tree.levelHashes(4, new int[] {0})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.levelHashes(1, new int[] {16})).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> tree.keyHashes(new int[] {4096})).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
