package dev.canopy.storage.objects;

import dev.canopy.core.time.Futures;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import java.util.ArrayList;
import java.util.List;
import dev.canopy.storage.kv.KvException;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.PeerUnreachableException;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.backend.BackendException;
import dev.canopy.storage.local.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Blocking calls to the replicated store, each bounded by the call timeout. A quorum that cannot
 * be reached, a timeout or an interrupt is a {@link StoreException}, which the S3 API answers
 * with 503 ServiceUnavailable: the SDKs retry it.
 */
final class KvCalls {

  /** Chunks never change once written: one replica's answer is enough (Riak CS reads them r=1). */
  static final ReadOptions ONE_REPLICA = new ReadOptions(Quorum.ONE, Quorum.DEFAULT);
  static final WriteOptions WRITE_RETURNING_BODY =
      new WriteOptions(Quorum.DEFAULT, Quorum.DEFAULT, Quorum.DEFAULT, true);
  static final String CONTENT_TYPE = "application/json";

  private final KvService kv;
  private final Duration timeout;

  KvCalls(KvService kv, Duration timeout) {
    this.kv = kv;
    this.timeout = timeout;
  }

  KvService service() {
    return kv;
  }

  FetchResult get(String bucket, String key) {
    return get(bucket, key, ReadOptions.DEFAULTS);
  }

  FetchResult get(String bucket, String key, ReadOptions options) {
    return await(kv.get(bucket, key, options), "read " + bucket + "/" + key);
  }

  /** Writes {@code value} superseding what {@code context} saw; returns the new context. */
  byte[] put(String bucket, String key, byte[] context, byte[] value) {
    FetchResult stored = await(
        kv.put(bucket, key, context, Content.of(value, CONTENT_TYPE), WRITE_RETURNING_BODY),
        "write " + bucket + "/" + key);
    return stored.context();
  }

  /** A write that needs no context back (a chunk: immutable, under a fresh key). */
  void putBlind(String bucket, String key, byte[] value) {
    await(kv.put(bucket, key, null, Content.of(value, CONTENT_TYPE), WriteOptions.DEFAULTS),
        "write " + bucket + "/" + key);
  }

  /**
   * Starts {@link #putBlind}'s write without waiting for it: a blob's next chunk is received while
   * this one is being replicated. {@link #awaitWrite} then waits for it, bounded as every call.
   */
  CompletableFuture<FetchResult> putBlindStarted(String bucket, String key, byte[] value) {
    return kv.put(bucket, key, null, Content.of(value, CONTENT_TYPE), WriteOptions.DEFAULTS);
  }

  /** Starts {@link #get}'s read without waiting for it (a reader's next chunk). */
  CompletableFuture<FetchResult> getStarted(String bucket, String key, ReadOptions options) {
    return kv.get(bucket, key, options);
  }

  /** Waits for a call started earlier, failing as a blocking call would. */
  <T> T awaitStarted(CompletableFuture<T> call, String what) {
    return await(call, what);
  }

  /** Deletes what {@code context} saw; an empty context reads the key first. */
  void delete(String bucket, String key, byte[] context) {
    await(kv.delete(bucket, key, context, WriteOptions.DEFAULTS), "delete " + bucket + "/" + key);
  }

  /**
   * A full page: the store may answer fewer keys than asked while more remain (a replica's answer
   * stopped at deleted keys), so this asks again from where it stopped until {@code limit} keys are
   * in or none remain. Callers may then read "fewer than asked" as "no more", and an empty page as
   * an empty range (a bucket with deleted keys first is not empty).
   */
  KeyPage listPage(String bucket, String prefix, String startAfter, int limit) {
    List<KeyPage.ListedKey> keys = new ArrayList<>();
    String after = startAfter;
    while (true) {
      KeyPage page = await(kv.listPage(bucket, prefix, after, limit - keys.size(), ReadOptions.DEFAULTS), "list " + bucket);
      keys.addAll(page.keys());
      if (keys.size() >= limit || !page.truncated() || page.resumeAfter() == null) {
        return new KeyPage(keys, page.truncated(), page.resumeAfter());
      }
      after = page.resumeAfter();
    }
  }

  void setProps(String bucket, dev.canopy.storage.kv.BucketProps props) {
    await(kv.setProps(bucket, props), "set the properties of " + bucket);
  }

  private <T> T await(CompletableFuture<T> call, String what) {
    try {
      return Futures.await(call, timeout, what + " on the replicated store");
    } catch (KvException | PeerUnreachableException | BackendException | TimeoutException e) {
      // Quorum, peers, this node's own disk, or no answer in time: all a store outage to S3.
      throw new StoreException(what + " on the replicated store failed: " + e.getMessage(), e, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + " on the replicated store was interrupted", e, true);
    }
  }
}
