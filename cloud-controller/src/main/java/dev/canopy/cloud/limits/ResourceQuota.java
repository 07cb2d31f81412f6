package dev.canopy.cloud.limits;

/**
 * How many of one kind of resource (key pairs, security groups) an account may hold. The family
 * counts what the account has before it creates one more, and words the refusal itself (it
 * knows the context, such as the group's VPC), with {@link LimitErrors}.
 *
 * @param limit the most an account may hold; positive
 */
public record ResourceQuota(int limit) {

  /** No limit: what services built without a quota use. */
  public static final ResourceQuota NONE = new ResourceQuota(Integer.MAX_VALUE);

  public ResourceQuota {
    if (limit < 1) {
      throw new IllegalArgumentException("a quota must be positive: " + limit);
    }
  }

  /** @param existing how many the account holds now */
  public boolean allowsOneMore(int existing) {
    return existing < limit;
  }

  public boolean isUnlimited() {
    return limit == Integer.MAX_VALUE;
  }
}
