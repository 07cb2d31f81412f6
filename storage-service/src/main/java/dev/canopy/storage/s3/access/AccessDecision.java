package dev.canopy.storage.s3.access;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether one request may proceed, in S3's order:
 *
 * <ol>
 *   <li>a bucket policy statement that denies it wins over everything, the owner and every ACL
 *       included, except that the owner may always read, replace and delete the policy itself
 *       (AWS's rule for the root user, so a policy can never lock its owner out);
 *   <li>the bucket's owner may do anything else;
 *   <li>anyone else is allowed by a policy statement that allows it, or by an ACL grant of the
 *       permission the operation needs ({@link AclNeed}; operations without one are the owner's
 *       and the policy's alone);
 *   <li>everyone else is refused.
 * </ol>
 *
 * The object's ACL is only read when it can decide, so the owner's requests never pay for it.
 */
public final class AccessDecision {

  /** What the owner may always do, whatever its policy says. */
  private static final Set<String> OWNER_POLICY_ACTIONS = Set.of(
      "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");

  private AccessDecision() {}

  /**
   * @param owner the bucket's owner account
   * @param aclNeed the grant that allows the operation to others; empty when none can
   * @param bucketAcl the bucket's ACL
   * @param objectAcl the addressed object's ACL, asked only when an object grant could decide
   */
  public static boolean allows(
      String owner, AccessRequest request, BucketPolicy policy, Optional<AclNeed> aclNeed,
      AccessControlList bucketAcl, Supplier<AccessControlList> objectAcl) {
    boolean isOwner = owner.equals(request.requesterAccount());
    if (isOwner && OWNER_POLICY_ACTIONS.contains(request.action())) {
      return true;
    }
    BucketPolicy.Verdict verdict = policy.judge(request);
    if (verdict == BucketPolicy.Verdict.DENY) {
      return false;
    }
    if (isOwner || verdict == BucketPolicy.Verdict.ALLOW) {
      return true;
    }
    if (aclNeed.isEmpty()) {
      return false;
    }
    AccessControlList acl = aclNeed.get().onObject() ? objectAcl.get() : bucketAcl;
    return acl.allows(request.requesterAccount(), aclNeed.get().permission());
  }
}
