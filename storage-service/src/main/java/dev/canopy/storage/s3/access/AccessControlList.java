package dev.canopy.storage.s3.access;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.StorageErrors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The grants of a bucket's or an object's ACL. The owner of an object is always its bucket's owner
 * here (S3's "bucket owner preferred" ownership): an object written by another account through a
 * grant or a policy is still the bucket owner's, so bucket-owner-read and
 * bucket-owner-full-control say the same as private. The owner keeps full access whatever the
 * list says ({@link AccessDecision}); the list only adds access for others.
 *
 * <p>Stored as {@link #toText()}: one grant a line, {@code id:<account> <PERMISSION>} or
 * {@code group:AllUsers|AuthenticatedUsers <PERMISSION>}; null or empty text is private.
 */
public record AccessControlList(List<Grant> grants) {

  /** Grants one ACL may hold, as S3's limit. */
  public static final int GRANTS_MAX = 100;

  public AccessControlList {
    grants = List.copyOf(new LinkedHashSet<>(grants));
    if (grants.size() > GRANTS_MAX) {
      throw S3Errors.invalidArgument("An access control list may hold at most " + GRANTS_MAX + " grants.");
    }
  }

  /** Only the owner's full control (S3's default). */
  public static AccessControlList privateTo(String owner) {
    return new AccessControlList(List.of(new Grant(Grantee.account(owner), Permission.FULL_CONTROL)));
  }

  /**
   * A canned ACL's grants, as S3 expands them. InvalidArgument for an unknown name;
   * {@code log-delivery-write} (for S3's access logs, which Canopy does not write) is NotImplemented.
   *
   * @param forBucket public-read-write is a bucket's; on an object it only allows reading it
   *     (S3 stores it, and WRITE means nothing on an object)
   */
  public static AccessControlList canned(String name, String owner, boolean forBucket) {
    List<Grant> grants = new ArrayList<>(privateTo(owner).grants());
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "private", "bucket-owner-read", "bucket-owner-full-control", "aws-exec-read" -> { }
      case "public-read" -> grants.add(new Grant(Grantee.ALL_USERS, Permission.READ));
      case "public-read-write" -> {
        grants.add(new Grant(Grantee.ALL_USERS, Permission.READ));
        if (forBucket) {
          grants.add(new Grant(Grantee.ALL_USERS, Permission.WRITE));
        }
      }
      case "authenticated-read" -> grants.add(new Grant(Grantee.AUTHENTICATED_USERS, Permission.READ));
      case "log-delivery-write" -> throw StorageErrors.notImplemented("x-amz-acl log-delivery-write (server access logs)");
      default -> throw S3Errors.invalidArgument("Argument format not recognized: x-amz-acl " + name);
    }
    return new AccessControlList(grants);
  }

  /** The stored form's list; null or empty text is {@code owner}'s private list. */
  public static AccessControlList fromText(String text, String owner) {
    if (text == null || text.isEmpty()) {
      return privateTo(owner);
    }
    List<Grant> grants = new ArrayList<>();
    for (String line : text.split("\n")) {
      int space = line.lastIndexOf(' ');
      String who = line.substring(0, space);
      Permission permission = Permission.valueOf(line.substring(space + 1));
      Grantee grantee;
      if (who.startsWith("id:")) {
        grantee = Grantee.account(who.substring(3));
      } else if (who.equals("group:AllUsers")) {
        grantee = Grantee.ALL_USERS;
      } else if (who.equals("group:AuthenticatedUsers")) {
        grantee = Grantee.AUTHENTICATED_USERS;
      } else {
        throw new IllegalStateException("stored ACL line not understood: " + line);
      }
      grants.add(new Grant(grantee, permission));
    }
    return new AccessControlList(grants);
  }

  /** The stored form; null when the list is {@code owner}'s private list, S3's default. */
  public String toText(String owner) {
    if (equals(privateTo(owner))) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (Grant grant : grants) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      Grantee g = grant.grantee();
      text.append(switch (g.type()) {
        case CANONICAL_USER -> "id:" + g.accountId();
        case GROUP_ALL_USERS -> "group:AllUsers";
        case GROUP_AUTHENTICATED_USERS -> "group:AuthenticatedUsers";
      }).append(' ').append(grant.permission().name());
    }
    return text.toString();
  }

  /** @param requesterAccount the signer's account, null when anonymous */
  public boolean allows(String requesterAccount, Permission needed) {
    return grants.stream().anyMatch(g -> g.permission().covers(needed) && g.grantee().includes(requesterAccount));
  }

  /** True when a grant reaches every requester, signed or not (what GetBucketPolicyStatus calls public). */
  public boolean isPublic() {
    return grants.stream().anyMatch(g -> g.grantee().type() != Grantee.Type.CANONICAL_USER);
  }
}
