package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.s3.xml.SafeXml;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/** Bucket operations: create, list, head, location, versioning, delete. ACLs are {@link AclHandlers}. */
final class BucketHandlers {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BucketHandlers.class);

  private static final int CREATE_BODY_BYTES_MAX = 64 * 1024;
  /** The shape of a region name (us-east-1, canopy-1): anything else is not a location at all. */
  /**
   * The region an aws CLI v2 with no region configured names in {@code s3 mb}'s LocationConstraint
   * (botocore's pseudo-region for the global endpoint). AWS would refuse it; here it means what
   * that CLI means, "no particular region", so the bucket is made in the cloud's region.
   */
  private static final String GLOBAL_PSEUDO_REGION = "aws-global";
  private static final Pattern REGION_NAME = Pattern.compile("[a-z][a-z0-9-]{1,30}[a-z0-9]");

  private final BucketRegistry registry;
  private final ObjectBackend backend;
  private final BucketConfigs configs;
  private final String region;
  private final InstantSource clock;
  private final BucketIds ids;

  BucketHandlers(
      BucketRegistry registry, ObjectBackend backend, BucketConfigs configs, String region, InstantSource clock,
      BucketIds ids) {
    this.registry = registry;
    this.backend = backend;
    this.configs = configs;
    this.region = region;
    this.clock = clock;
    this.ids = ids;
  }

  Future<Void> listBuckets(S3Exchange ex) {
    String account = ex.principal().accountId();
    return ex.blocking(() -> registry.listByOwner(account)).map(buckets -> {
      List<BucketRecord> sorted = buckets.stream().sorted(Comparator.comparing(BucketRecord::name)).toList();
      ex.sendXml(200, S3Xml.listBuckets(account, sorted));
      return null;
    });
  }

  Future<Void> createBucket(S3Exchange ex) {
    String name = ex.target.bucket();
    BucketNames.check(name);
    if (BucketNames.isReserved(name)) {
      throw S3Errors.bucketAlreadyExists(); // as AWS answers a name someone else holds
    }
    String account = ex.principal().accountId();
    String acl = AclHeaders.read(ex, account, true).map(requested -> requested.toText(account)).orElse(null);
    return ex.readSmallBody(CREATE_BODY_BYTES_MAX).compose(body -> {
      checkLocationConstraint(body);
      BucketRecord bucket = new BucketRecord(name, account, clock.instant(), region, ids.next());
      return ex.blocking(() -> {
        // Counted, then created: two creations racing at the limit may both pass, as with EC2's quotas.
        if (registry.find(name).isEmpty()) {
          ex.gate().admitBucket(registry.listByOwner(account).size());
        }
        register(bucket);
        if (acl != null) {
          // Created private, then opened: never the other way round.
          configs.set(bucket, AccessControl.ACL_DOCUMENT, acl);
        }
        return null;
      });
    }).map(created -> {
      ex.response.putHeader("Location", "/" + name);
      ex.sendEmpty(200);
      return null;
    });
  }

  private Void register(BucketRecord bucket) {
    if (registry.create(bucket)) {
      return null;
    }
    Optional<BucketRecord> existing = registry.find(bucket.name());
    if (existing.isPresent() && existing.get().ownerAccountId().equals(bucket.ownerAccountId())) {
      // AWS answers 200 here only in us-east-1, for compatibility; everywhere else 409.
      throw S3Errors.bucketAlreadyOwnedByYou();
    }
    throw S3Errors.bucketAlreadyExists();
  }

  /**
   * The optional body names a region; it must be this endpoint's. As AWS: another region is
   * IllegalLocationConstraintException (a region-specific endpoint), a value that names no region
   * InvalidLocationConstraint.
   */
  private void checkLocationConstraint(byte[] body) {
    if (body.length == 0) {
      return;
    }
    Element root = S3Xml.requestRoot(body, "CreateBucketConfiguration");
    String constraint = SafeXml.childText(root, "LocationConstraint").map(String::trim).orElse("");
    if (constraint.equals(GLOBAL_PSEUDO_REGION)) {
      return;
    }
    if (!constraint.isEmpty() && !REGION_NAME.matcher(constraint).matches()) {
      throw S3Error.INVALID_LOCATION_CONSTRAINT.exception();
    }
    if (!constraint.isEmpty() && !constraint.equals(region)) {
      throw S3Error.ILLEGAL_LOCATION_CONSTRAINT.exception(
          "The " + constraint + " location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
  }

  Future<Void> headBucket(S3Exchange ex) {
    ex.response.putHeader("x-amz-bucket-region", ex.bucket().region());
    ex.sendEmpty(200);
    return Future.succeededFuture();
  }

  Future<Void> location(S3Exchange ex) {
    ex.sendXml(200, S3Xml.location(ex.bucket().region()));
    return Future.succeededFuture();
  }

  /**
   * After the name is gone, and best effort: the bucket is deleted either way, and documents a
   * store outage leaves under the dead id are never read again (ids are never reused).
   */
  private void removeConfigs(BucketRecord bucket) {
    try {
      configs.removeAll(bucket);
    } catch (RuntimeException e) {
      LOG.warn("bucket {} deleted, its configuration documents stay under id {}: {}", bucket.name(), bucket.id(), e.toString());
    }
  }

  Future<Void> deleteBucket(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> {
      if (!backend.isBucketEmpty(bucket.id())) {
        throw S3Errors.bucketNotEmpty();
      }
      registry.delete(bucket.name(), bucket.id());
      removeConfigs(bucket);
      return null;
    }).map(v -> {
      ex.sendEmpty(204);
      return null;
    });
  }
}
