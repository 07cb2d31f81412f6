package dev.canopy.storage.kv.aae;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fixed layout of a hash tree, which both sides of an exchange must share: how many segments
 * the keys are hashed into, and how many children each inner node has. Level 0 is the root; each
 * level below has {@code width} times as many nodes (the last ones of a level may have fewer
 * children when the segment count is not a power of the width); the last level is the segments.
 *
 * <p>Riak uses 1024 × 1024 segments and width 1024 for trees on disk. These trees live in memory,
 * one per partition, so the default is 4,096 segments of width 16 (root, 16, 256, 4,096): with
 * 100,000 keys a segment holds about 25, and finding k differing keys costs about 3 × 16 × k level
 * hashes plus the key hashes of k segments.
 */
public record TreeShape(int segmentCount, int width) {

  public static final int SEGMENTS_DEFAULT = 4096;
  public static final int WIDTH_DEFAULT = 16;
  /** Riak's own segment count; more would only cost memory. */
  public static final int SEGMENTS_MAX = 1 << 20;
  public static final int WIDTH_MAX = 1024;

  public static final TreeShape DEFAULT = new TreeShape(SEGMENTS_DEFAULT, WIDTH_DEFAULT);

  public TreeShape {
    if (segmentCount < 1 || segmentCount > SEGMENTS_MAX) {
      throw new IllegalArgumentException("segment count must be 1.." + SEGMENTS_MAX + ": " + segmentCount);
    }
    if (width < 2 || width > WIDTH_MAX) {
      throw new IllegalArgumentException("width must be 2.." + WIDTH_MAX + ": " + width);
    }
  }

  /** How many nodes each level holds, root (1) first, segments last. */
  public List<Integer> levelSizes() {
    List<Integer> sizes = new ArrayList<>();
    for (int size = segmentCount; ; size = (size + width - 1) / width) {
      sizes.add(size);
      if (size == 1) {
        break;
      }
    }
    Collections.reverse(sizes);
    return List.copyOf(sizes);
  }

  /** The level of the segments (0 when the tree is a single segment). */
  public int segmentLevel() {
    return levelSizes().size() - 1;
  }

  /** The segment a key belongs to. */
  public int segmentOf(byte[] key) {
    return (int) Long.remainderUnsigned(TreeHashes.keyHash(key), segmentCount);
  }
}
