package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.s3.access.AccessControlList;
import dev.canopy.storage.s3.access.AccessDecision;
import dev.canopy.storage.s3.access.AccessRequest;
import dev.canopy.storage.s3.access.BucketPolicy;
import dev.canopy.storage.s3.access.Permission;
import dev.canopy.storage.s3.access.PolicyParser;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gathers the facts of one request (requester, action, resource, source address, transport,
 * listing prefix) and the documents that govern its bucket (policy, ACL, the object's ACL when it
 * can decide), and asks {@link AccessDecision}; a refusal is AccessDenied. Blocking: on a worker.
 */
final class AccessControl {

  /** The bucket configuration documents this feature owns. */
  static final String ACL_DOCUMENT = "acl";
  static final String POLICY_DOCUMENT = "policy";
  private static final java.util.Set<Operation> POLICY_OPERATIONS = java.util.EnumSet.of(
      Operation.GET_BUCKET_POLICY, Operation.PUT_BUCKET_POLICY, Operation.DELETE_BUCKET_POLICY);
  /** Parsed policies kept (keyed by their stored text); beyond, the cache starts over. */
  private static final int POLICIES_PARSED_MAX = 1_000;

  private final BucketConfigs configs;
  private final ObjectBackend backend;
  private final Map<String, BucketPolicy> parsedPolicies = new ConcurrentHashMap<>();

  AccessControl(BucketConfigs configs, ObjectBackend backend) {
    this.configs = configs;
    this.backend = backend;
  }

  /**
   * @throws dev.canopy.api.error.AwsException AccessDenied when the request may not proceed.
   *     DeleteObjects is refused here only when nothing could allow any of its keys (no
   *     ownership, no policy, no WRITE grant); otherwise each key is judged by {@link #allowsKey},
   *     as S3 answers AccessDenied per key.
   */
  void check(S3Exchange ex, BucketRecord bucket) {
    boolean allowed = ex.operation == Operation.DELETE_OBJECTS
        ? mayDeleteSome(ex, bucket)
        : allows(ex, bucket, ex.target.key(), ex.operation, ex.query.get("versionId").isPresent());
    if (!allowed) {
      throw S3Error.ACCESS_DENIED.exception();
    }
    if (POLICY_OPERATIONS.contains(ex.operation) && !bucket.ownerAccountId().equals(ex.principal().accountId())) {
      // S3: a policy is the owner's account's alone; another one the policy lets in is told so.
      throw S3Error.METHOD_NOT_ALLOWED.exception();
    }
  }

  /**
   * A copy's source is read as a GetObject of it would be: by its bucket's owner, or as that
   * bucket's policy or the object's ACL allows (so anyone may copy a public-read object).
   *
   * @throws dev.canopy.api.error.AwsException AccessDenied otherwise, or when
   *     {@code x-amz-source-expected-bucket-owner} names another account than the source's owner
   */
  void checkCopySource(S3Exchange ex, BucketRecord source, String key) {
    checkCopySource(ex, source, key, false);
  }

  /** {@link #checkCopySource} of a source version named by id: as its GetObject, s3:GetObjectVersion. */
  void checkCopySource(S3Exchange ex, BucketRecord source, String key, boolean namesVersion) {
    String owner = source.ownerAccountId();
    String expectedOwner = ex.header("x-amz-source-expected-bucket-owner");
    if (expectedOwner != null && !expectedOwner.trim().equals(owner)) {
      throw S3Error.ACCESS_DENIED.exception();
    }
    if (!allows(ex, source, key, Operation.GET_OBJECT, namesVersion)) {
      throw S3Error.ACCESS_DENIED.exception();
    }
  }

  /** A POST Object form's signer (the request's principal) may write {@code key} as by PutObject; else AccessDenied. */
  void checkFormUpload(S3Exchange ex, BucketRecord bucket, String key) {
    if (!allows(ex, bucket, key, Operation.PUT_OBJECT, false)) {
      throw S3Error.ACCESS_DENIED.exception();
    }
  }

  private boolean mayDeleteSome(S3Exchange ex, BucketRecord bucket) {
    Map<String, String> documents = configs.all(bucket);
    String owner = bucket.ownerAccountId();
    String requester = ex.principal().isAnonymous() ? null : ex.principal().accountId();
    return owner.equals(requester) || documents.containsKey(POLICY_DOCUMENT)
        || AccessControlList.fromText(documents.get(ACL_DOCUMENT), owner).allows(requester, Permission.WRITE);
  }

  /** Whether the request's operation may act on {@code key} of the bucket (DeleteObjects' keys one by one). */
  boolean allowsKey(S3Exchange ex, BucketRecord bucket, String key) {
    return allows(ex, bucket, key, ex.operation, false);
  }

  /** {@link #allowsKey} for a DeleteObjects key that names a version (s3:DeleteObjectVersion). */
  boolean allowsVersion(S3Exchange ex, BucketRecord bucket, String key) {
    return allows(ex, bucket, key, ex.operation, true);
  }

  /** Whether this request's requester may do {@code operation} to {@code key} of {@code bucket} (null: the bucket). */
  private boolean allows(S3Exchange ex, BucketRecord bucket, String key, Operation operation, boolean namesVersion) {
    Map<String, String> documents = configs.all(bucket);
    String owner = bucket.ownerAccountId();
    return AccessDecision.allows(
        owner, request(ex, bucket, key, OperationAccess.action(operation, namesVersion)), policy(bucket, documents.get(POLICY_DOCUMENT)),
        OperationAccess.aclNeed(operation), AccessControlList.fromText(documents.get(ACL_DOCUMENT), owner),
        () -> objectAcl(bucket, key));
  }

  /** The bucket's policy, parsed once per stored text; {@link BucketPolicy#NONE} when it has none. */
  BucketPolicy policy(BucketRecord bucket, String text) {
    if (text == null) {
      return BucketPolicy.NONE;
    }
    if (parsedPolicies.size() >= POLICIES_PARSED_MAX) {
      parsedPolicies.clear();
    }
    return parsedPolicies.computeIfAbsent(bucket.name() + "\n" + text, k -> PolicyParser.parse(text, bucket.name()));
  }

  /** A missing object has no grants: a non-owner learns nothing of which keys exist. */
  private AccessControlList objectAcl(BucketRecord bucket, String key) {
    return backend.head(bucket.id(), key)
        .map(info -> AccessControlList.fromText(info.metadata().acl(), bucket.ownerAccountId()))
        .orElse(AccessControlList.privateTo(bucket.ownerAccountId()));
  }

  private static AccessRequest request(S3Exchange ex, BucketRecord bucket, String key, String action) {
    Map<String, String> context = new HashMap<>();
    if (ex.request.remoteAddress() != null) {
      context.put(AccessRequest.SOURCE_IP, ex.request.remoteAddress().hostAddress());
    }
    context.put(AccessRequest.SECURE_TRANSPORT, Boolean.toString(ex.request.isSSL()));
    boolean anonymous = ex.principal().isAnonymous();
    context.put("aws:PrincipalType", anonymous ? "Anonymous" : "Account");
    if (!anonymous) {
      context.put("aws:PrincipalAccount", ex.principal().accountId());
    }
    putHeader(context, "aws:UserAgent", ex.header("User-Agent"));
    putHeader(context, "aws:Referer", ex.header("Referer"));
    putHeader(context, "s3:x-amz-acl", ex.header("x-amz-acl"));
    if (key == null) {
      // The listing's own parameters, which S3 offers as condition keys of s3:ListBucket.
      ex.query.get("prefix").ifPresent(v -> context.put("s3:prefix", v));
      ex.query.get("delimiter").ifPresent(v -> context.put("s3:delimiter", v));
      ex.query.get("max-keys").ifPresent(v -> context.put("s3:max-keys", v));
    }
    return new AccessRequest(
        anonymous ? null : ex.principal().accountId(), action,
        AccessRequest.arn(bucket.name(), key), context);
  }

  private static void putHeader(Map<String, String> context, String key, String value) {
    if (value != null) {
      context.put(key, value);
    }
  }
}
