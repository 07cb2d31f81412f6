package dev.canopy.storage.s3;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.PayloadVerifier;
import dev.canopy.api.auth.PostPolicyVerifier;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.VerifiedRequest;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.WriteCondition;
import dev.canopy.storage.s3.access.AccessControlList;
import dev.canopy.storage.s3.post.MultipartFormParser;
import dev.canopy.storage.s3.post.PostPolicy;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;

/**
 * POST Object ({@code POST /bucket}, {@code multipart/form-data}): a browser uploads a file with
 * a form someone signed in advance. There is no Authorization header: the form's policy, signed
 * with SigV4 ({@link PostPolicyVerifier}), says who allows the upload and on which conditions
 * ({@link PostPolicy}). The fields before the file are decoded; when the file part begins the
 * request waits while the form is authenticated and checked on a worker (the signer's account
 * must own the bucket, within its {@link S3AccountGate} limits), then the file is streamed into a
 * blob ({@link PostFormReceiver}) and committed. Fields after the file are ignored, as on S3.
 */
final class PostObjectHandler {

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private final ObjectBackend backend;
  private final BucketRegistry registry;
  private final AccessControl access;
  private final PostPolicyVerifier verifier;
  private final InstantSource clock;
  private final BucketConfigs configs;

  PostObjectHandler(
      ObjectBackend backend, BucketRegistry registry, AccessControl access, PostPolicyVerifier verifier, InstantSource clock,
      BucketConfigs configs) {
    this.backend = backend;
    this.configs = configs;
    this.access = access;
    this.registry = registry;
    this.verifier = verifier;
    this.clock = clock;
  }

  /** The form's signer, as the access decision reads the request's principal; the file has no payload hash. */
  private record SignedForm(Principal principal) implements VerifiedRequest {
    @Override
    public java.util.List<String> signedHeaders() {
      return java.util.List.of();
    }

    @Override
    public PayloadVerifier newPayloadVerifier() {
      throw new UnsupportedOperationException("a form's file is bounded by its policy, not by a payload hash");
    }
  }

  /** What a checked form is allowed to write. */
  private record Admitted(PostForm form, BucketRecord bucket, String key, ObjectMetadata metadata, PostPolicy.LengthRange range,
      BlobWriter blob, Runnable release) {}

  Future<Void> postObject(S3Exchange ex) {
    String boundary = MultipartFormParser.boundary(ex.header("Content-Type")).orElseThrow(PostForm::notMultipart);
    PostFormReceiver receiver = PostFormReceiver.start(ex, boundary);
    return receiver.form()
        .compose(form -> ex.blocking(() -> admit(ex, form)))
        .compose(admitted -> store(ex, receiver, admitted).onComplete(done -> admitted.release().run()));
  }

  /** On a worker: who signed, whether the policy allows this form, and the upload's slot and blob. */
  private Admitted admit(S3Exchange ex, PostForm form) {
    Principal signer = authenticate(form);
    ex.authenticated(new SignedForm(signer));
    ex.gate().admitRequest(signer.accountId());
    BucketRecord bucket = registry.find(ex.target.bucket()).orElseThrow(S3Errors::noSuchBucket);
    PostPolicy.LengthRange range = PostPolicy.parse(form.field("policy")).check(form.fields(), bucket.name(), clock.instant());
    RequestHeaderRules.check(form.asHead(ex.head), bucket.ownerAccountId());
    String key = form.key();
    // PutObject's rule for the signer: the bucket's owner, or whom its policy or ACL lets write.
    access.checkFormUpload(ex, bucket, key);
    ex.bucket(bucket); // admitted: the upload is metered to the bucket's owner
    ObjectMetadata metadata = form.metadata();
    String tagging = form.field("tagging");
    if (tagging != null) {
      // The form's tagging field is the Tagging document of PutObjectTagging, not the header's query form.
      metadata = metadata.withTags(TagSets.fromXml(tagging.getBytes(StandardCharsets.UTF_8), TagSets.OBJECT_TAGS_MAX));
    }
    String cannedAcl = form.field("acl");
    if (cannedAcl != null) {
      // The form's acl field is PutObject's x-amz-acl header.
      String owner = bucket.ownerAccountId();
      metadata = metadata.withAcl(AccessControlList.canned(cannedAcl.trim(), owner, false).toText(owner));
    }
    Runnable release = ex.gate().admitUpload(signer.accountId());
    try {
      return new Admitted(form, bucket, key, metadata, range, backend.newBlob(), release);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  private Principal authenticate(PostForm form) {
    if (form.field("policy") == null) {
      // An unsigned form is an anonymous write, which only a bucket's own grants could allow.
      throw S3Error.ACCESS_DENIED.exception();
    }
    if (form.field("x-amz-algorithm") == null && form.field("awsaccesskeyid") != null) {
      throw StorageErrors.notImplemented("POST Object signed with Signature Version 2");
    }
    String algorithm = form.required("x-amz-algorithm");
    if (!algorithm.equals(ALGORITHM)) {
      throw S3Errors.invalidArgument("Only AWS4-HMAC-SHA256 is supported for x-amz-algorithm, not " + algorithm);
    }
    try {
      return verifier.verify(form.required("x-amz-credential"), form.required("x-amz-date"), form.field("policy"),
          form.required("x-amz-signature"));
    } catch (AuthException e) {
      throw switch (e.kind()) {
        case UNKNOWN_ACCESS_KEY -> S3Error.INVALID_ACCESS_KEY_ID.exception();
        case SIGNATURE_MISMATCH -> S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
        default -> S3Errors.invalidArgument(e.getMessage());
      };
    }
  }

  private Future<Void> store(S3Exchange ex, PostFormReceiver receiver, Admitted admitted) {
    long bytesMax = Math.min(admitted.range().max(), BodyUpload.SINGLE_PUT_BYTES_MAX);
    BlobWriter blob = admitted.blob();
    return receiver.streamInto(blob, bytesMax)
        .compose(md5 -> ex.blocking(() -> {
          if (blob.size() < admitted.range().min()) {
            throw S3Errors.entityTooSmall();
          }
          ObjectInfo committed = VersioningHandlers.writesTo(backend, configs, admitted.bucket()).commitObject(
              admitted.bucket().id(), admitted.key(), blob, md5,
              admitted.metadata(), Map.of(), WriteCondition.NONE);
          BucketLifecycle.confirmCommit(registry, backend, admitted.bucket(), admitted.key());
          return committed;
        }))
        .map(info -> {
          VersionedObjects.writeVersion(ex.response, info.versionId());
          PostAnswer.send(ex, admitted.form(), admitted.bucket().name(), admitted.key(), info.etag());
          return (Void) null;
        })
        .recover(failure -> ObjectHandlers.abortThenFail(ex, blob, failure));
  }
}
