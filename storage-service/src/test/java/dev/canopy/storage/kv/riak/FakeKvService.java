package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A one-process {@link KvService} that exists only to test the HTTP shapes: each key keeps its
 * values as a plain list and a write counter as its context (4 bytes). A write carrying the
 * current counter replaces every value; one carrying an older or no counter adds a sibling when
 * the bucket allows them, else replaces. Quorum values are checked against n_val as the real
 * store does; {@link #failNext} makes the next call fail as a real store can.
 */
final class FakeKvService implements KvService {

  /** Keys per page when listing, small so that streaming shows several pages. */
  static final int PAGE_KEYS = 2;

  private record Entry(List<Content> siblings, int counter) {}

  private final Map<String, Map<String, Entry>> buckets = new ConcurrentHashMap<>();
  private final Map<String, BucketProps> props = new ConcurrentHashMap<>();
  private final BucketProps defaults = BucketProps.defaults(3);
  private volatile RuntimeException nextFailure;
  /** Lists on the caller's thread, so the listing has ended before the caller sees its future. */
  private volatile boolean listsInline;
  /** Stands in for the store's clock: every write is a second after the one before. */
  private long nowMillis = 1_767_225_600_000L;

  void listInline() {
    listsInline = true;
  }

  void failNext(RuntimeException failure) {
    nextFailure = failure;
  }

  private void failIfAsked() {
    RuntimeException failure = nextFailure;
    nextFailure = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public CompletableFuture<FetchResult> get(String bucket, String key, ReadOptions options) {
    return CompletableFuture.supplyAsync(() -> {
      synchronized (this) {
        failIfAsked();
        BucketProps bucketProps = props(bucket);
        options.r().resolve(bucketProps.nVal(), bucketProps.r());
        options.pr().resolve(bucketProps.nVal(), bucketProps.pr());
        Entry entry = entries(bucket).get(key);
        return entry == null ? new FetchResult(List.of(), null) : result(entry);
      }
    });
  }

  @Override
  public CompletableFuture<FetchResult> put(
      String bucket, String key, byte[] context, Content content, WriteOptions options) {
    return CompletableFuture.supplyAsync(() -> {
      synchronized (this) {
        failIfAsked();
        checkWrite(bucket, options);
        Entry entry = entries(bucket).get(key);
        int seen = counter(context);
        int counter = entry == null ? 1 : entry.counter() + 1;
        nowMillis += 1000;
        Content stored = new Content(content.value(), content.contentType(), content.meta(), content.links(),
            "vtag" + counter, nowMillis, false);
        List<Content> siblings = new ArrayList<>();
        if (entry != null && seen != entry.counter() && props(bucket).allowMult()) {
          siblings.addAll(entry.siblings());
        }
        siblings.add(stored);
        Entry written = new Entry(List.copyOf(siblings), counter);
        entries(bucket).put(key, written);
        return options.returnBody() ? result(written) : new FetchResult(List.of(), null);
      }
    });
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key, byte[] context, WriteOptions options) {
    return CompletableFuture.runAsync(() -> {
      synchronized (this) {
        failIfAsked();
        checkWrite(bucket, options);
        counter(context);
        Entry entry = entries(bucket).get(key);
        entries(bucket).put(key, new Entry(List.of(), entry == null ? 1 : entry.counter() + 1));
      }
    });
  }

  @Override
  public CompletableFuture<Void> listKeys(String bucket, Consumer<List<String>> batch) {
    Runnable listing = () -> {
      List<String> live = new ArrayList<>();
      synchronized (this) {
        failIfAsked();
        entries(bucket).forEach((key, entry) -> {
          if (!entry.siblings().isEmpty()) {
            live.add(key);
          }
        });
      }
      for (int i = 0; i < live.size(); i += PAGE_KEYS) {
        batch.accept(live.subList(i, Math.min(live.size(), i + PAGE_KEYS)));
      }
    };
    if (listsInline) {
      listing.run();
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(listing);
  }

  @Override
  public BucketProps props(String bucket) {
    return props.getOrDefault(bucket, defaults);
  }

  @Override
  public CompletableFuture<Void> setProps(String bucket, BucketProps bucketProps) {
    props.put(bucket, bucketProps);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> resetProps(String bucket) {
    props.remove(bucket);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public KvStats stats() {
    return new KvStats("storage-1", List.of("storage-1", "storage-2"), 64, 32, 10, 7, 150, 900, 250, 1200, 3, 4, 1, 5, 6, 2);
  }

  private Map<String, Entry> entries(String bucket) {
    return buckets.computeIfAbsent(bucket, b -> new TreeMap<>());
  }

  private void checkWrite(String bucket, WriteOptions options) {
    BucketProps bucketProps = props(bucket);
    for (Quorum[] q : new Quorum[][] {{options.w(), bucketProps.w()}, {options.dw(), bucketProps.dw()},
        {options.pw(), bucketProps.pw()}}) {
      q[0].resolve(bucketProps.nVal(), q[1]);
    }
  }

  private static FetchResult result(Entry entry) {
    return new FetchResult(entry.siblings(), ByteBuffer.allocate(4).putInt(entry.counter()).array());
  }

  private static int counter(byte[] context) {
    if (context.length == 0) {
      return 0;
    }
    if (context.length != 4) {
      throw new InvalidRequestException("the context is not one this store issued");
    }
    return ByteBuffer.wrap(context).getInt();
  }
}
