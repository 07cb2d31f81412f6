package dev.canopy.storage.kv.aae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two replicas' trees of one partition and returns the keys they disagree on, asking the
 * remote side only for what differs: the root; the children of every node that differs, level by
 * level; then the keys of the differing segments. Replicas that differ in k keys exchange about
 * (levels × width × k) hashes and the keys of k segments, whatever the partition holds.
 *
 * <p>Requests are batched (at most {@link #HASHES_PER_REQUEST_MAX} hashes or {@link
 * #SEGMENTS_PER_REQUEST_MAX} segments per call) so that each is one bounded message to a peer.
 * Stateless; one exchange per call of {@link #run}.
 */
public final class Exchange {

  public static final int HASHES_PER_REQUEST_MAX = 4096;
  public static final int SEGMENTS_PER_REQUEST_MAX = 64;
  /** Enough for a repair round of a badly diverged replica; the rest waits for the next exchange. */
  public static final int DIFFERENCES_DEFAULT_MAX = 10_000;

  private final int differencesMax;

  public Exchange(int differencesMax) {
    if (differencesMax < 1) {
      throw new IllegalArgumentException("an exchange must be allowed at least one difference: " + differencesMax);
    }
    this.differencesMax = differencesMax;
  }

  public Exchange() {
    this(DIFFERENCES_DEFAULT_MAX);
  }

  public ExchangeResult run(RemoteTree local, RemoteTree remote) {
    TreeShape shape = local.shape();
    if (!shape.equals(remote.shape())) {
      throw new IllegalArgumentException("trees of different shapes cannot be compared: " + shape + " and " + remote.shape());
    }
    Counts counts = new Counts();
    List<Integer> sizes = shape.levelSizes();
    int[] differing = differingAmong(0, new int[] {0}, local, remote, counts);
    for (int level = 1; level < sizes.size() && differing.length > 0; level++) {
      differing = differingAmong(level, children(differing, shape.width(), sizes.get(level)), local, remote, counts);
    }
    List<KeyDifference> differences = new ArrayList<>();
    boolean complete = true;
    for (int from = 0; from < differing.length; from += SEGMENTS_PER_REQUEST_MAX) {
      if (differences.size() >= differencesMax) {
        complete = false;
        break;
      }
      int[] batch = Arrays.copyOfRange(differing, from, Math.min(from + SEGMENTS_PER_REQUEST_MAX, differing.length));
      List<List<KeyHash>> mine = local.keyHashes(batch);
      List<List<KeyHash>> theirs = remote.keyHashes(batch);
      counts.requests++;
      if (theirs.size() != batch.length) {
        throw new IllegalStateException("asked for the keys of " + batch.length + " segments, got " + theirs.size());
      }
      for (int i = 0; i < batch.length; i++) {
        counts.keyHashes += theirs.get(i).size();
        SegmentDiff.compare(mine.get(i), theirs.get(i), differences);
      }
    }
    if (differences.size() > differencesMax) {
      differences = differences.subList(0, differencesMax);
      complete = false;
    }
    return new ExchangeResult(differences, complete, counts.levelHashes, counts.keyHashes, counts.requests);
  }

  /** Which of {@code indexes} at {@code level} hash differently on the two sides, asked in batches. */
  private static int[] differingAmong(int level, int[] indexes, RemoteTree local, RemoteTree remote, Counts counts) {
    int[] differing = new int[indexes.length];
    int count = 0;
    for (int from = 0; from < indexes.length; from += HASHES_PER_REQUEST_MAX) {
      int[] batch = Arrays.copyOfRange(indexes, from, Math.min(from + HASHES_PER_REQUEST_MAX, indexes.length));
      long[] mine = local.levelHashes(level, batch);
      long[] theirs = remote.levelHashes(level, batch);
      counts.requests++;
      counts.levelHashes += theirs.length;
      if (theirs.length != batch.length) {
        throw new IllegalStateException("asked for " + batch.length + " hashes of level " + level + ", got " + theirs.length);
      }
      for (int i = 0; i < batch.length; i++) {
        if (mine[i] != theirs[i]) {
          differing[count++] = batch[i];
        }
      }
    }
    return Arrays.copyOf(differing, count);
  }

  /** Every child, on the next level of {@code levelSize} nodes, of the given nodes. */
  private static int[] children(int[] parents, int width, int levelSize) {
    int[] out = new int[parents.length * width];
    int count = 0;
    for (int parent : parents) {
      for (int child = parent * width; child < Math.min((parent + 1) * width, levelSize); child++) {
        out[count++] = child;
      }
    }
    return Arrays.copyOf(out, count);
  }

  private static final class Counts {
    long levelHashes;
    long keyHashes;
    int requests;
  }
}
