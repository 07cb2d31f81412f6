package dev.canopy.storage.s3.access;

import java.util.Optional;

/**
 * Whom an ACL grant names: one account (S3's canonical user; here the canonical user ID is the
 * 12-digit account id), everyone including anonymous requesters ({@link #ALL_USERS}), or every
 * signed request ({@link #AUTHENTICATED_USERS}).
 *
 * @param accountId the account of a {@link Type#CANONICAL_USER}; null for a group
 */
public record Grantee(Type type, String accountId) {

  public enum Type { CANONICAL_USER, GROUP_ALL_USERS, GROUP_AUTHENTICATED_USERS }

  public static final String ALL_USERS_URI = "http://acs.amazonaws.com/groups/global/AllUsers";
  public static final String AUTHENTICATED_USERS_URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  public static final Grantee ALL_USERS = new Grantee(Type.GROUP_ALL_USERS, null);
  public static final Grantee AUTHENTICATED_USERS = new Grantee(Type.GROUP_AUTHENTICATED_USERS, null);

  public Grantee {
    if ((type == Type.CANONICAL_USER) != (accountId != null)) {
      throw new IllegalArgumentException("an account id names exactly a canonical user: " + type + " " + accountId);
    }
  }

  public static Grantee account(String accountId) {
    return new Grantee(Type.CANONICAL_USER, accountId);
  }

  /** The group a URI names, or empty for a URI of a group Canopy has not (LogDelivery, say). */
  public static Optional<Grantee> group(String uri) {
    return switch (uri) {
      case ALL_USERS_URI -> Optional.of(ALL_USERS);
      case AUTHENTICATED_USERS_URI -> Optional.of(AUTHENTICATED_USERS);
      default -> Optional.empty();
    };
  }

  /** The group's URI; only for a group. */
  public String uri() {
    return switch (type) {
      case GROUP_ALL_USERS -> ALL_USERS_URI;
      case GROUP_AUTHENTICATED_USERS -> AUTHENTICATED_USERS_URI;
      case CANONICAL_USER -> throw new IllegalStateException("a canonical user has no URI");
    };
  }

  /** @param requesterAccount the signer's account, null when anonymous */
  boolean includes(String requesterAccount) {
    return switch (type) {
      case GROUP_ALL_USERS -> true;
      case GROUP_AUTHENTICATED_USERS -> requesterAccount != null;
      case CANONICAL_USER -> accountId.equals(requesterAccount);
    };
  }
}
