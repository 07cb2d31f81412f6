package dev.canopy.storage.kv.aae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Compares two replicas' trees of one partition and returns the keys they disagree on, asking the
 * remote side only for what differs: the root; the children of every node that differs, level by
 * level; then the keys of the differing segments. Replicas that differ in k keys exchange about
 * (levels × width × k) hashes and the keys of k segments, whatever the partition holds.
 *
 * <p>Requests are batched (at most {@link #HASHES_PER_REQUEST_MAX} hashes or {@link
 * #SEGMENTS_PER_REQUEST_MAX} segments per call) so that each is one bounded message to a peer.
 * Stateless; one exchange per call of {@link #run} or {@link #runAsync} (the form for a peer asked
 * over the network, which must not block).
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

  /** Compares with a tree that answers at once; the remote side's errors are thrown as they are. */
  public ExchangeResult run(RemoteTree local, RemoteTree remote) {
    try {
      return runAsync(local, AsyncRemoteTree.answeredAtOnce(remote)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Compares with a tree that answers later (a peer over the network): one request at a time,
   * each sent when the previous one's answer has been compared; completes with what differs, or
   * fails with the first failed request.
   */
  public CompletableFuture<ExchangeResult> runAsync(RemoteTree local, AsyncRemoteTree remote) {
    TreeShape shape = local.shape();
    if (!shape.equals(remote.shape())) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "trees of different shapes cannot be compared: " + shape + " and " + remote.shape()));
    }
    Counts counts = new Counts();
    return descend(0, new int[] {0}, local, remote, counts)
        .thenCompose(differing -> listKeys(differing, 0, new ArrayList<>(), local, remote, counts))
        .thenApply(listed -> {
          List<KeyDifference> differences = listed.differences();
          boolean complete = listed.complete();
          if (differences.size() > differencesMax) {
            differences = differences.subList(0, differencesMax);
            complete = false;
          }
          return new ExchangeResult(differences, complete, counts.levelHashes, counts.keyHashes, counts.requests);
        });
  }

  /** The segments that differ under {@code indexes} of {@code level}, found level by level. */
  private CompletableFuture<int[]> descend(int level, int[] indexes, RemoteTree local, AsyncRemoteTree remote, Counts counts) {
    List<Integer> sizes = local.shape().levelSizes();
    return differingAmong(level, indexes, 0, new int[indexes.length], 0, local, remote, counts).thenCompose(differing -> {
      if (level + 1 == sizes.size() || differing.length == 0) {
        return CompletableFuture.completedFuture(differing);
      }
      return descend(level + 1, children(differing, local.shape().width(), sizes.get(level + 1)), local, remote, counts);
    });
  }

  private record Listed(List<KeyDifference> differences, boolean complete) {}

  /** The differing keys of {@code differing} segments, from batch {@code from} on. */
  private CompletableFuture<Listed> listKeys(int[] differing, int from, List<KeyDifference> differences,
      RemoteTree local, AsyncRemoteTree remote, Counts counts) {
    if (from >= differing.length) {
      return CompletableFuture.completedFuture(new Listed(differences, true));
    }
    if (differences.size() >= differencesMax) {
      return CompletableFuture.completedFuture(new Listed(differences, false));
    }
    int[] batch = Arrays.copyOfRange(differing, from, Math.min(from + SEGMENTS_PER_REQUEST_MAX, differing.length));
    return remote.keyHashes(batch).thenCompose(theirs -> {
      List<List<KeyHash>> mine = local.keyHashes(batch);
      counts.requests++;
      if (theirs.size() != batch.length) {
        throw new IllegalStateException("asked for the keys of " + batch.length + " segments, got " + theirs.size());
      }
      for (int i = 0; i < batch.length; i++) {
        counts.keyHashes += theirs.get(i).size();
        SegmentDiff.compare(mine.get(i), theirs.get(i), differences);
      }
      return listKeys(differing, from + SEGMENTS_PER_REQUEST_MAX, differences, local, remote, counts);
    });
  }

  /** Which of {@code indexes} at {@code level} hash differently on the two sides, asked in batches. */
  private static CompletableFuture<int[]> differingAmong(int level, int[] indexes, int from, int[] differing, int count,
      RemoteTree local, AsyncRemoteTree remote, Counts counts) {
    if (from >= indexes.length) {
      return CompletableFuture.completedFuture(Arrays.copyOf(differing, count));
    }
    int[] batch = Arrays.copyOfRange(indexes, from, Math.min(from + HASHES_PER_REQUEST_MAX, indexes.length));
    return remote.levelHashes(level, batch).thenCompose(theirs -> {
      long[] mine = local.levelHashes(level, batch);
      counts.requests++;
      counts.levelHashes += theirs.length;
      if (theirs.length != batch.length) {
        throw new IllegalStateException("asked for " + batch.length + " hashes of level " + level + ", got " + theirs.length);
      }
      int found = count;
      for (int i = 0; i < batch.length; i++) {
        if (mine[i] != theirs[i]) {
          differing[found++] = batch[i];
        }
      }
      return differingAmong(level, indexes, from + HASHES_PER_REQUEST_MAX, differing, found, local, remote, counts);
    });
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
