package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.s3.access.AccessControlList;
import dev.canopy.storage.s3.access.Grant;
import dev.canopy.storage.s3.access.Grantee;
import dev.canopy.storage.s3.access.Permission;
import dev.canopy.storage.s3.xml.SafeXml;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/** S3's AccessControlPolicy document, as GetBucketAcl/GetObjectAcl answer and PutBucketAcl/PutObjectAcl take it. */
final class AclXml {

  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private AclXml() {}

  static String render(String owner, AccessControlList acl) {
    XmlWriter xml = S3Xml.document("AccessControlPolicy");
    S3Xml.owner(xml, "Owner", owner);
    xml.start("AccessControlList");
    for (Grant grant : acl.grants()) {
      Grantee grantee = grant.grantee();
      xml.start("Grant").start("Grantee").attribute("xmlns:xsi", XSI);
      if (grantee.type() == Grantee.Type.CANONICAL_USER) {
        xml.attribute("xsi:type", "CanonicalUser")
            .element("ID", grantee.accountId())
            .element("DisplayName", grantee.accountId());
      } else {
        xml.attribute("xsi:type", "Group").element("URI", grantee.uri());
      }
      xml.end().element("Permission", grant.permission().name()).end();
    }
    return xml.end().end().toString();
  }

  /**
   * A PutBucketAcl/PutObjectAcl body. MalformedACLError when it is no AccessControlPolicy, names
   * no owner or an unknown permission or grantee type; AccessDenied when its owner is not {@code
   * owner} (an ACL cannot give a bucket or object away).
   */
  static AccessControlList parse(byte[] body, String owner) {
    Element root;
    try {
      root = SafeXml.parse(body);
    } catch (SafeXml.MalformedException e) {
      throw malformedAcl();
    }
    if (!SafeXml.localName(root).equals("AccessControlPolicy")) {
      throw malformedAcl();
    }
    String named = SafeXml.children(root, "Owner").stream().findFirst()
        .flatMap(o -> SafeXml.childText(o, "ID")).map(String::trim).orElseThrow(AclXml::malformedAcl);
    if (!named.equals(owner)) {
      throw dev.canopy.api.error.S3Error.ACCESS_DENIED.exception();
    }
    Element list = SafeXml.children(root, "AccessControlList").stream().findFirst().orElseThrow(AclXml::malformedAcl);
    List<Grant> grants = new ArrayList<>();
    for (Element grant : SafeXml.children(list, "Grant")) {
      Element grantee = SafeXml.children(grant, "Grantee").stream().findFirst().orElseThrow(AclXml::malformedAcl);
      String permission = SafeXml.childText(grant, "Permission").map(String::trim).orElseThrow(AclXml::malformedAcl);
      grants.add(new Grant(grantee(grantee), permission(permission)));
    }
    return new AccessControlList(grants);
  }

  private static Grantee grantee(Element grantee) {
    String type = grantee.getAttributeNS(XSI, "type");
    type = type.substring(type.indexOf(':') + 1);
    return switch (type) {
      case "CanonicalUser" -> account(SafeXml.childText(grantee, "ID").map(String::trim).orElseThrow(AclXml::malformedAcl));
      case "Group" -> group(SafeXml.childText(grantee, "URI").map(String::trim).orElseThrow(AclXml::malformedAcl));
      case "AmazonCustomerByEmail" -> throw unresolvableEmail();
      default -> throw malformedAcl();
    };
  }

  /** A grantee account: 12 digits (the canonical user ID is the account id here), else InvalidArgument. */
  static Grantee account(String id) {
    if (!ACCOUNT.matcher(id).matches()) {
      throw S3Errors.invalidArgument("Invalid id");
    }
    return Grantee.account(id);
  }

  static Grantee group(String uri) {
    if (uri.equals("http://acs.amazonaws.com/groups/s3/LogDelivery")) {
      throw StorageErrors.notImplemented("grants to the LogDelivery group (server access logs)");
    }
    return Grantee.group(uri).orElseThrow(() -> S3Errors.invalidArgument("Invalid group uri"));
  }

  private static Permission permission(String name) {
    try {
      return Permission.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw malformedAcl();
    }
  }

  static AwsException malformedAcl() {
    return new AwsException(400, "MalformedACLError",
        "The XML you provided was not well-formed or did not validate against our published schema");
  }

  static AwsException unresolvableEmail() {
    return new AwsException(400, "UnresolvableGrantByEmailAddress",
        "The e-mail address you provided does not match any account on record.");
  }
}
