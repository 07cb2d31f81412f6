package dev.canopy.storage.kv.aae;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * One partition's Merkle tree, as in Riak's active anti-entropy: every key is hashed into one of a
 * fixed number of segments; a segment's hash covers its (key, object hash) pairs; each inner node's
 * hash covers its children's; two replicas with equal roots hold the same records (but for a 2^-64
 * chance). Writes ({@link #insert}, {@link #delete}) only mark their segment dirty; the hashes on
 * the path to the root are recomputed once per dirty segment by {@link #update()}, which every read
 * of a hash runs first, so a burst of writes costs one rehash per segment touched.
 *
 * <p>The tree keeps each key's object hash in memory (about 100 bytes plus the key's own); it is
 * rebuilt from the backend at start ({@link #build}), not stored. Thread safe: the write path
 * inserts while an exchange reads.
 */
public final class HashTree implements RemoteTree {

  private final TreeShape shape;
  private final int segmentLevel;
  /** Per level, root first, each node's hash as of the last {@link #update()}. */
  private final long[][] levels;
  /** Per segment its keys' object hashes; null while the segment is empty. */
  private final List<NavigableMap<KeyBytes, Long>> segments;
  private final BitSet dirty = new BitSet();
  private long keyCount;

  public HashTree(TreeShape shape) {
    this.shape = Objects.requireNonNull(shape, "shape");
    List<Integer> sizes = shape.levelSizes();
    this.segmentLevel = sizes.size() - 1;
    this.levels = new long[sizes.size()][];
    for (int level = 0; level < levels.length; level++) {
      levels[level] = new long[sizes.get(level)];
    }
    this.segments = new ArrayList<>(shape.segmentCount());
    for (int i = 0; i < shape.segmentCount(); i++) {
      segments.add(null);
    }
  }

  /**
   * A tree of every record a fold yields, for example {@code each -> backend.fold(partition, each)},
   * each record's object hash computed from its stored bytes by {@code objectHash}.
   */
  public static HashTree build(TreeShape shape, Consumer<BiConsumer<byte[], byte[]>> fold, ToLongFunction<byte[]> objectHash) {
    HashTree tree = new HashTree(shape);
    fold.accept((key, value) -> tree.insert(key, objectHash.applyAsLong(value)));
    tree.update();
    return tree;
  }

  /** As {@link #build(TreeShape, Consumer, ToLongFunction)}, hashing the stored bytes with SHA-256. */
  public static HashTree build(TreeShape shape, Consumer<BiConsumer<byte[], byte[]>> fold) {
    return build(shape, fold, TreeHashes::objectHash);
  }

  @Override
  public TreeShape shape() {
    return shape;
  }

  /** Records that {@code key} now holds an object with this hash (added or replaced). */
  public synchronized void insert(byte[] key, long objectHash) {
    int segment = shape.segmentOf(key);
    NavigableMap<KeyBytes, Long> keys = segments.get(segment);
    if (keys == null) {
      keys = new TreeMap<>();
      segments.set(segment, keys);
    }
    Long before = keys.put(KeyBytes.of(key), objectHash);
    if (before == null) {
      keyCount++;
    }
    if (before == null || before != objectHash) {
      dirty.set(segment);
    }
  }

  /** Records that {@code key} holds nothing any more. */
  public synchronized void delete(byte[] key) {
    int segment = shape.segmentOf(key);
    NavigableMap<KeyBytes, Long> keys = segments.get(segment);
    if (keys != null && keys.remove(KeyBytes.of(key)) != null) {
      keyCount--;
      dirty.set(segment);
      if (keys.isEmpty()) {
        segments.set(segment, null);
      }
    }
  }

  /** Rehashes the dirty segments and their ancestors. */
  public synchronized void update() {
    if (dirty.isEmpty()) {
      return;
    }
    BitSet changed = dirty;
    for (int s = changed.nextSetBit(0); s >= 0; s = changed.nextSetBit(s + 1)) {
      NavigableMap<KeyBytes, Long> keys = segments.get(s);
      levels[segmentLevel][s] = keys == null ? TreeHashes.EMPTY : TreeHashes.segmentHash(keys.entrySet());
    }
    for (int level = segmentLevel - 1; level >= 0; level--) {
      BitSet parents = new BitSet();
      for (int child = changed.nextSetBit(0); child >= 0; child = changed.nextSetBit(child + 1)) {
        parents.set(child / shape.width());
      }
      long[] below = levels[level + 1];
      for (int p = parents.nextSetBit(0); p >= 0; p = parents.nextSetBit(p + 1)) {
        int from = p * shape.width();
        levels[level][p] = TreeHashes.innerHash(below, from, Math.min(from + shape.width(), below.length));
      }
      changed = parents;
    }
    dirty.clear();
  }

  public synchronized long rootHash() {
    update();
    return levels[0][0];
  }

  public synchronized long keyCount() {
    return keyCount;
  }

  @Override
  public synchronized long[] levelHashes(int level, int[] indexes) {
    if (level < 0 || level > segmentLevel) {
      throw new IllegalArgumentException("no level " + level + " in a tree of levels 0.." + segmentLevel);
    }
    update();
    long[] out = new long[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      out[i] = levels[level][Objects.checkIndex(indexes[i], levels[level].length)];
    }
    return out;
  }

  @Override
  public synchronized List<List<KeyHash>> keyHashes(int[] segmentIndexes) {
    List<List<KeyHash>> out = new ArrayList<>(segmentIndexes.length);
    for (int segment : segmentIndexes) {
      NavigableMap<KeyBytes, Long> keys = segments.get(Objects.checkIndex(segment, segments.size()));
      List<KeyHash> listed = new ArrayList<>(keys == null ? 0 : keys.size());
      if (keys != null) {
        for (Map.Entry<KeyBytes, Long> entry : keys.entrySet()) {
          listed.add(new KeyHash(entry.getKey(), entry.getValue()));
        }
      }
      out.add(listed);
    }
    return out;
  }
}
