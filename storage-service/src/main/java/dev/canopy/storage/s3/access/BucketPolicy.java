package dev.canopy.storage.s3.access;

import java.util.List;

/**
 * A bucket's policy, parsed ({@link PolicyParser}). IAM's evaluation within one policy: an
 * explicit Deny in any statement that applies wins; otherwise an Allow that applies allows;
 * otherwise the policy says nothing and the decision falls to ownership and ACLs.
 */
public record BucketPolicy(List<PolicyStatement> statements) {

  public static final BucketPolicy NONE = new BucketPolicy(List.of());

  public enum Verdict { DENY, ALLOW, SILENT }

  public BucketPolicy {
    statements = List.copyOf(statements);
  }

  public Verdict judge(AccessRequest request) {
    boolean allowed = false;
    for (PolicyStatement statement : statements) {
      if (statement.applies(request)) {
        if (!statement.allow()) {
          return Verdict.DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Verdict.ALLOW : Verdict.SILENT;
  }

  /** True when some statement allows anyone at all, unconditionally (GetBucketPolicyStatus's IsPublic). */
  public boolean isPublic() {
    return statements.stream().anyMatch(PolicyStatement::isPublicAllow);
  }
}
