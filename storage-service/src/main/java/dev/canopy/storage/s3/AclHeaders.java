package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.s3.access.AccessControlList;
import dev.canopy.storage.s3.access.Grant;
import dev.canopy.storage.s3.access.Grantee;
import dev.canopy.storage.s3.access.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACL a request asks for in its headers: a canned {@code x-amz-acl}, or {@code x-amz-grant-*}
 * lists ({@code id="111122223333", uri="http://acs.amazonaws.com/groups/global/AllUsers"}); both
 * at once is InvalidRequest, as S3 answers. Read by every operation that creates a bucket or an
 * object, and by PutBucketAcl/PutObjectAcl.
 */
final class AclHeaders {

  private static final Map<String, Permission> GRANT_HEADERS = Map.of(
      "x-amz-grant-read", Permission.READ,
      "x-amz-grant-write", Permission.WRITE,
      "x-amz-grant-read-acp", Permission.READ_ACP,
      "x-amz-grant-write-acp", Permission.WRITE_ACP,
      "x-amz-grant-full-control", Permission.FULL_CONTROL);
  /** One grantee of a grant header: {@code type=value}, the value quoted or not. */
  private static final Pattern GRANTEE = Pattern.compile("\\s*([A-Za-z]+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]*))\\s*(,|$)");

  private AclHeaders() {}

  /** The ACL the headers ask for; empty when they ask for none. */
  static Optional<AccessControlList> read(S3Exchange ex, String owner, boolean forBucket) {
    String canned = ex.header("x-amz-acl");
    List<Grant> grants = new ArrayList<>();
    for (Map.Entry<String, Permission> header : GRANT_HEADERS.entrySet()) {
      String value = ex.header(header.getKey());
      if (value != null) {
        grants.addAll(grants(header.getKey(), value, header.getValue()));
      }
    }
    boolean granted = GRANT_HEADERS.keySet().stream().anyMatch(h -> ex.header(h) != null);
    if (canned != null && granted) {
      throw S3Errors.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
    }
    if (canned != null) {
      return Optional.of(AccessControlList.canned(canned, owner, forBucket));
    }
    return granted ? Optional.of(new AccessControlList(grants)) : Optional.empty();
  }

  /** The stored form of the ACL a new object's headers ask for (null: private). */
  static String forNewObject(S3Exchange ex) {
    String owner = ex.bucket().ownerAccountId();
    return read(ex, owner, false).map(acl -> acl.toText(owner)).orElse(null);
  }

  private static List<Grant> grants(String header, String value, Permission permission) {
    List<Grant> grants = new ArrayList<>();
    Matcher m = GRANTEE.matcher(value);
    int at = 0;
    while (at < value.length()) {
      if (!m.find(at) || m.start() != at) {
        throw S3Errors.invalidArgument("Argument format not recognized: " + header);
      }
      String id = m.group(2) != null ? m.group(2) : m.group(3);
      Grantee grantee = switch (m.group(1)) {
        case "id" -> AclXml.account(id.trim());
        case "uri" -> AclXml.group(id.trim());
        case "emailAddress" -> throw AclXml.unresolvableEmail();
        default -> throw S3Errors.invalidArgument("Argument format not recognized: " + header);
      };
      grants.add(new Grant(grantee, permission));
      at = m.end();
    }
    return grants;
  }
}
