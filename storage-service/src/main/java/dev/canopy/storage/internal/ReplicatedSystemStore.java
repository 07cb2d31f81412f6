package dev.canopy.storage.internal;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;

/**
 * The controllers' durable records on the replicated store: namespace {@code ns} is the bucket
 * {@code canopy-system-ns}, each record one key. Every call blocks (the internal KV endpoint runs
 * it on a worker) and is bounded by {@link #CALL_TIMEOUT}, shorter than the controllers' own
 * request timeout so that they get an answer (503) rather than a timeout of unknown outcome.
 *
 * <p>A write supersedes what a quorum read (r = quorum) would see, with w = dw = quorum ({@link
 * KvService#putSuperseding}): on the storage nodes, in one round of messages over the
 * coordinator's copy, and with a read and a second write only when a replica held a value that copy
 * lacked. So the outcome does not depend on the storage nodes' clocks. A delete writes a
 * tombstone the same way. Records are plain values under the bucket's defaults (no siblings);
 * should siblings ever appear (two writers racing on one key), the newest one is read. A
 * quorum that cannot be reached, or any failure of the store, is a {@link StoreException}: the
 * endpoint answers 503 and nothing is acknowledged.
 */
public final class ReplicatedSystemStore implements SystemStore {

  public static final String BUCKET_PREFIX = "canopy-system-";
  /** Bounds one store call; the controllers wait 10 s for the endpoint's answer. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
  /** A whole namespace at a controller's start; the controllers wait 60 s for it. */
  public static final Duration LISTING_TIMEOUT = Duration.ofSeconds(50);

  static final ReadOptions READ = new ReadOptions(Quorum.MAJORITY, Quorum.DEFAULT);
  static final WriteOptions WRITE = new WriteOptions(Quorum.MAJORITY, Quorum.MAJORITY, Quorum.DEFAULT, false);
  /** Records of one batch in flight at once: enough to overlap the quorum round trips, bounded for the nodes. */
  static final int PARALLEL_PUTS_MAX = 64;
  /** Records of one {@link #getAll} read at once, for the same reasons. */
  static final int PARALLEL_GETS_MAX = 64;
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final KvService kv;

  public ReplicatedSystemStore(KvService kv) {
    this.kv = kv;
  }

  public static String bucketOf(String namespace) {
    return BUCKET_PREFIX + namespace;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    await(kv.putSuperseding(bucketOf(namespace), key, Content.of(value, CONTENT_TYPE), READ, WRITE), CALL_TIMEOUT,
        "put " + namespace + "/" + key);
  }

  /**
   * Each record written as {@link #put} does, up to {@link #PARALLEL_PUTS_MAX} at once,
   * then one answer: the call fails if any record fails (some may be written; the records are
   * idempotent absolute values and the caller retries the whole batch).
   */
  @Override
  public void putAll(List<Write> writes) {
    for (int from = 0; from < writes.size(); from += PARALLEL_PUTS_MAX) {
      List<Write> window = writes.subList(from, Math.min(writes.size(), from + PARALLEL_PUTS_MAX));
      List<CompletableFuture<Void>> puts = new ArrayList<>(window.size());
      for (Write w : window) {
        puts.add(kv.putSuperseding(bucketOf(w.namespace()), w.key(), Content.of(w.value(), CONTENT_TYPE), READ, WRITE)
            .thenApply(written -> null));
      }
      String what = "put " + window.size() + " records (" + window.get(0).namespace() + "/" + window.get(0).key() + "…)";
      await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)), CALL_TIMEOUT, what);
    }
  }

  /**
   * A tombstone written as {@link #put} writes a value, without a read first: so a key that was
   * never there gets one too (the controllers delete what they stored, so that is rare).
   */
  @Override
  public void delete(String namespace, String key) {
    await(kv.putSuperseding(bucketOf(namespace), key, Content.tombstone(), READ, WRITE), CALL_TIMEOUT,
        "delete " + namespace + "/" + key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return newest(await(kv.get(bucketOf(namespace), key, READ), CALL_TIMEOUT, "get " + namespace + "/" + key));
  }

  /**
   * Each record read as {@link #get} reads it (a quorum read, read repair and all), in {@link
   * #PARALLEL_GETS_MAX} lanes that each read their share one after another: the call takes about
   * keys / lanes round trips, not one per key, and never has more reads in flight than lanes. It is
   * bounded as a whole as {@link #loadAll} is (a batch read names at most a thousand keys); any
   * failed read fails the call, and the lanes then stop reading.
   */
  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    List<String> distinct = keys.stream().distinct().toList();
    if (distinct.isEmpty()) {
      return Map.of();
    }
    String bucket = bucketOf(namespace);
    Map<String, byte[]> found = new ConcurrentHashMap<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    int lanes = Math.min(PARALLEL_GETS_MAX, distinct.size());
    List<CompletableFuture<Void>> running = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      CompletableFuture<Void> reads = CompletableFuture.completedFuture(null);
      for (int i = lane; i < distinct.size(); i += lanes) {
        String key = distinct.get(i);
        reads = reads
            .thenCompose(ignored -> abandoned.get()
                ? CompletableFuture.<FetchResult>failedFuture(new CancellationException("the batch read was given up"))
                : kv.get(bucket, key, READ))
            .thenAccept(result -> newest(result).ifPresent(value -> found.put(key, value)));
      }
      running.add(reads);
    }
    String what = "get " + distinct.size() + " records of " + namespace + " (" + distinct.get(0) + "…)";
    CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
    // allOf waits for every lane; the first failure answers at once and stops the others.
    running.forEach(lane -> lane.whenComplete((ignored, failure) -> {
      if (failure != null) {
        abandoned.set(true);
        all.completeExceptionally(failure);
      }
    }));
    try {
      await(all, LISTING_TIMEOUT, what);
    } catch (StoreException e) {
      abandoned.set(true);
      throw e;
    }
    return new HashMap<>(found);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    String what = "load namespace " + namespace;
    List<String> keys = new ArrayList<>();
    await(kv.listKeys(bucketOf(namespace), batch -> {
      synchronized (keys) {
        keys.addAll(batch);
      }
    }), LISTING_TIMEOUT, what);
    List<String> sorted;
    synchronized (keys) {
      sorted = keys.stream().distinct().sorted().toList();
    }
    Map<String, CompletableFuture<FetchResult>> reads = new LinkedHashMap<>();
    for (String key : sorted) {
      reads.put(key, kv.get(bucketOf(namespace), key, READ));
    }
    Map<String, byte[]> records = new LinkedHashMap<>();
    for (var read : reads.entrySet()) {
      // A key listed and deleted since reads as missing: it is left out, as a deleted record is.
      newest(await(read.getValue(), LISTING_TIMEOUT, what)).ifPresent(value -> records.put(read.getKey(), value));
    }
    return records;
  }

  private static Optional<byte[]> newest(FetchResult result) {
    return result.siblings().stream()
        .filter(content -> !content.deleted())
        .max(Comparator.comparingLong(Content::lastModifiedMillis))
        .map(Content::value);
  }

  private static <T> T await(CompletableFuture<T> call, Duration timeout, String what) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(what + " on the replicated store failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      call.cancel(false);
      throw new StoreException(what + " on the replicated store got no quorum within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + " on the replicated store was interrupted", e);
    }
  }
}
