package dev.canopy.storage.directory;

import dev.canopy.core.cache.ExpiringCache;
import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.core.time.Time;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import dev.canopy.storage.s3.DirectoryUnavailableException;
import dev.canopy.storage.usage.UsageSink;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A storage node's credentials and bucket registry, read from the controllers' directory over
 * mutual TLS (never as a grid client) and cached: {@link #credentials()} and {@link #buckets()} are
 * what an {@code S3Server} is built with (two views, since both interfaces name their lookup
 * {@code find}). Calls block: run them off the event loop, as the S3 API does.
 *
 * <p>Caching: found credentials and buckets are kept up to {@link #FOUND_TTL}, but dropped as
 * soon as the directory's change counter for their kind moves (read at most every {@link
 * #CHANGES_POLL_INTERVAL}), so a deleted key or bucket stops working within about a second. A
 * miss is kept only {@link #MISS_TTL}, so a key or bucket just created elsewhere works within a
 * second even if its change was not yet counted. This node's own create and delete drop the
 * name's entry at once. An account's bucket listing is never cached.
 *
 * <p>Failures: {@link DirectoryUnavailableException} when no controller answers (the S3 API
 * answers 503); {@link IllegalStateException} when a controller answers something this client
 * never asks for (a bug). Neither message carries a secret.
 */
public final class RemoteDirectory {

  public static final Duration FOUND_TTL = Duration.ofSeconds(60);
  public static final Duration MISS_TTL = Duration.ofMillis(500);
  public static final Duration CHANGES_POLL_INTERVAL = Duration.ofSeconds(1);
  /** Keys and buckets in use at once on one node; beyond, the least recently used is read again. */
  public static final int CREDENTIALS_CACHED_MAX = 10_000;
  public static final int BUCKETS_CACHED_MAX = 10_000;

  private final DirectoryClient client;
  private final ExpiringCache<Credential> credentials;
  private final ExpiringCache<BucketRecord> buckets;
  private final ChangeWatch changes;

  /**
   * @param controllers the controllers' directory URLs ({@code https://host:8782}), tried in turn
   * @param tls presents this storage node's certificate and trusts only a controller of the cloud's
   *     CA (the controller module builds it from the node's credentials; this module knows no roles)
   * @param time bounds every call and ages the caches
   */
  public RemoteDirectory(List<URI> controllers, SSLContext tls, Time time) {
    this(new DirectoryClient(List.copyOf(controllers), tls, time), time);
  }

  /**
   * @param controllers the controllers' directory URLs as last known, read at each call (the cloud
   *     in a box knows its controller's only once it has started, after its storage role)
   */
  public RemoteDirectory(java.util.function.Supplier<List<URI>> controllers, SSLContext tls, Time time) {
    this(new DirectoryClient(controllers, tls, time), time);
  }

  private RemoteDirectory(DirectoryClient client, Time time) {
    this.client = client;
    this.credentials = new ExpiringCache<>(time, CREDENTIALS_CACHED_MAX, FOUND_TTL, MISS_TTL);
    this.buckets = new ExpiringCache<>(time, BUCKETS_CACHED_MAX, FOUND_TTL, MISS_TTL);
    this.changes = new ChangeWatch(client, time, CHANGES_POLL_INTERVAL, credentials::clear, buckets::clear);
  }

  /** The access keys, for SigV4 checks. */
  public CredentialLookup credentials() {
    return this::findCredential;
  }

  /** The bucket registry. */
  public BucketRegistry buckets() {
    return new BucketRegistry() {
      @Override
      public Optional<BucketRecord> find(String name) {
        return findBucket(name);
      }

      @Override
      public boolean create(BucketRecord bucket) {
        return createBucket(bucket);
      }

      @Override
      public void delete(String name) {
        deleteBucket(name, DirectoryPaths.bucket(name));
      }

      @Override
      public void delete(String name, String id) {
        // The controller compares the id in the grid, atomically: this node's cache may be behind.
        deleteBucket(name, DirectoryPaths.bucket(name, id));
      }

      @Override
      public List<BucketRecord> listByOwner(String accountId) {
        return bucketsOwnedBy(accountId);
      }
    };
  }

  /** Where this node's bucket usage goes: {@code PUT /v1/bucket-usage/{incarnation}/{hour}}, 204 when stored. */
  public UsageSink usageSink() {
    return (incarnation, hour, usage) -> {
      String what = "push bucket usage of " + hour;
      DirectoryClient.Answer answer = client.put(what, DirectoryPaths.bucketUsage(incarnation, hour), DirectoryJson.bucketUsage(usage));
      if (answer.status() != 204) {
        throw unexpected(what, answer);
      }
    };
  }

  private Optional<Credential> findCredential(String accessKeyId) {
    if (!DirectoryPaths.isAccessKeyId(accessKeyId)) {
      return Optional.empty(); // no key of this shape was ever issued
    }
    changes.pollIfDue();
    return credentials.get(accessKeyId, this::fetchCredential);
  }

  private Optional<BucketRecord> findBucket(String name) {
    if (!DirectoryPaths.isBucketName(name)) {
      return Optional.empty();
    }
    changes.pollIfDue();
    return buckets.get(name, this::fetchBucket);
  }

  /** True when created, false when the name is taken; a repeat of this very create counts as created. */
  private boolean createBucket(BucketRecord bucket) {
    String what = "create bucket " + bucket.name();
    buckets.invalidate(bucket.name());
    try {
      DirectoryClient.Answer answer = client.put(what, DirectoryPaths.bucket(bucket.name()), DirectoryJson.bucket(bucket));
      if (answer.status() == 201) {
        return true;
      }
      if (answer.status() == 409) {
        // A try whose answer was lost may have created it: then the record there is this one.
        return fetchBucket(bucket.name()).filter(bucket::equals).isPresent();
      }
      throw unexpected(what, answer);
    } finally {
      buckets.invalidate(bucket.name());
    }
  }

  private void deleteBucket(String name, String path) {
    String what = "delete bucket " + name;
    buckets.invalidate(name);
    try {
      DirectoryClient.Answer answer = client.delete(what, path);
      if (answer.status() != 204) {
        throw unexpected(what, answer);
      }
    } finally {
      buckets.invalidate(name);
    }
  }

  private List<BucketRecord> bucketsOwnedBy(String accountId) {
    String what = "list the buckets of account " + accountId;
    DirectoryClient.Answer answer = client.get(what, DirectoryPaths.bucketsOwnedBy(accountId), DirectoryJson.LISTING_BYTES_MAX);
    if (answer.status() != 200) {
      throw unexpected(what, answer);
    }
    return decoded(what, () -> DirectoryJson.buckets(answer.body()));
  }

  private Optional<Credential> fetchCredential(String accessKeyId) {
    return fetch("look up access key " + accessKeyId, DirectoryPaths.credential(accessKeyId), accessKeyId,
        DirectoryJson::credential, Credential::accessKeyId, DirectoryJson.NO_SUCH_ACCESS_KEY);
  }

  private Optional<BucketRecord> fetchBucket(String name) {
    return fetch("look up bucket " + name, DirectoryPaths.bucket(name), name,
        DirectoryJson::bucket, BucketRecord::name, DirectoryJson.NO_SUCH_BUCKET);
  }

  /** One record by name: found, missing (the directory's own 404), or a failure. */
  private <T> Optional<T> fetch(String what, String path, String name, Function<byte[], T> decode, Function<T, String> nameOf,
      String missingCode) {
    DirectoryClient.Answer answer = client.get(what, path, DirectoryJson.RECORD_BYTES_MAX);
    if (answer.status() == 200) {
      T found = decoded(what, () -> decode.apply(answer.body()));
      if (!nameOf.apply(found).equals(name)) {
        throw new IllegalStateException(what + ": a controller answered with another record");
      }
      return Optional.of(found);
    }
    if (isMissing(answer, missingCode)) {
      return Optional.empty();
    }
    throw unexpected(what, answer);
  }

  /** Only the directory's own "no such record" is absence; any other 404 is a wrong URL. */
  private static boolean isMissing(DirectoryClient.Answer answer, String code) {
    return answer.status() == 404 && DirectoryJson.errorCode(answer.body()).filter(code::equals).isPresent();
  }

  private static <T> T decoded(String what, Supplier<T> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException e) {
      // The message names the field, never the body: a credential's body holds its secret.
      throw new IllegalStateException(what + ": a controller answered something unreadable: " + e.getMessage());
    }
  }

  private static IllegalStateException unexpected(String what, DirectoryClient.Answer answer) {
    return new IllegalStateException(what + ": a controller answered " + answer.status()
        + DirectoryJson.errorCode(answer.body()).map(code -> " " + code).orElse(""));
  }
}
