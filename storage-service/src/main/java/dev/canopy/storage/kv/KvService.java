package dev.canopy.storage.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The replicated store as a client sees it: any storage node serves every call, coordinating the
 * key's replicas. Futures fail with a {@link KvException} for what a client caused or can retry
 * ({@link InvalidRequestException}, {@link QuorumUnreachableException}); anything else is the
 * node's own failure.
 */
public interface KvService {

  /** Reads a key from its replicas, repairing stale ones; a missing key has no siblings. */
  CompletableFuture<FetchResult> get(String bucket, String key, ReadOptions options);

  /**
   * Stores a value. {@code context} is what an earlier read returned (empty for a blind write):
   * the new value replaces exactly the values that read saw; values written concurrently stay as
   * siblings (with {@code allow_mult}) or lose by timestamp (without). Returns the object as
   * stored when {@code returnBody} asks for it, else a result with no siblings.
   */
  CompletableFuture<FetchResult> put(
      String bucket, String key, byte[] context, Content content, WriteOptions options);

  /**
   * Stores a value that replaces whatever a read with {@code read} would have seen, whichever
   * node's clock is ahead: the value holders such as the controllers' records want. This default
   * reads, then writes with the read's context; a store that can tell whether a write replaced
   * everything may skip the read and fall back on it only when it did not.
   */
  default CompletableFuture<FetchResult> putSuperseding(
      String bucket, String key, Content content, ReadOptions read, WriteOptions write) {
    return get(bucket, key, read).thenCompose(current -> put(bucket, key, current.context(), content, write));
  }

  /** Deletes a key by writing a tombstone that descends from {@code context}. */
  CompletableFuture<Void> delete(String bucket, String key, byte[] context, WriteOptions options);

  /**
   * Every live key of a bucket, handed to {@code batch} a page at a time as the replicas are
   * read (the HTTP interface streams them); completes when all are listed.
   */
  CompletableFuture<Void> listKeys(String bucket, Consumer<List<String>> batch);

  /**
   * A page of a bucket's live keys with their objects, in ascending order of the keys' UTF-8 bytes:
   * the keys that start with {@code prefix}, come after {@code startAfter} (null: from the first)
   * and, read with {@code options}, are live. With R + W > N it lists every key whose write was
   * acknowledged before the call and none whose delete was.
   *
   * <p>This default reads every key of the bucket and then each key of the page: correct for any
   * store, costly for a large bucket. A store that can fold its replicas in order overrides it.
   */
  default CompletableFuture<KeyPage> listPage(
      String bucket, String prefix, String startAfter, int limit, ReadOptions options) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
    java.util.concurrent.ConcurrentLinkedQueue<String> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
    return listKeys(bucket, all::addAll).thenCompose(x -> KeyPages.firstLive(this, bucket, all, prefix, startAfter, limit, options));
  }

  /** The bucket's properties: the ones set for it, else the defaults. */
  BucketProps props(String bucket);

  /** Sets a bucket's properties for every node; an invalid combination is rejected whole. */
  CompletableFuture<Void> setProps(String bucket, BucketProps props);

  /** Returns a bucket to the defaults. */
  CompletableFuture<Void> resetProps(String bucket);

  KvStats stats();
}
