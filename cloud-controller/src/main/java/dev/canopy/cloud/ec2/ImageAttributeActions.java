package dev.canopy.cloud.ec2;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.query.QueryTree;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageErrors;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.images.LaunchPermissionChange;
import java.util.ArrayList;
import java.util.List;

/**
 * DescribeImageAttribute and ModifyImageAttribute: sharing an image with accounts or making it
 * public (launchPermission), and its description. ModifyImageAttribute takes both wire forms:
 * the structured {@code LaunchPermission.Add.N.UserId} / {@code .Group} the SDKs send, and the
 * flat {@code OperationType} + {@code UserId.N} / {@code UserGroup.N} the CLI's shorthand and
 * older tools send.
 */
public final class ImageAttributeActions {

  private ImageAttributeActions() {}

  public static List<Ec2Action> of(ImageService images) {
    return List.of(
        NamedAction.of("DescribeImageAttribute", (request, xml) -> describe(images, request, xml)),
        NamedAction.of("ModifyImageAttribute", (request, xml) -> modify(images, request, xml)));
  }

  private static void describe(ImageService images, Ec2Request request, XmlWriter xml) {
    QueryParams p = request.params();
    String imageId = p.required("ImageId");
    String attribute = p.required("Attribute");
    Image image = images.attributes(request.principal().accountId(), imageId, attribute.equals("launchPermission"));
    xml.element("imageId", image.imageId());
    switch (attribute) {
      case "launchPermission" -> {
        xml.start("launchPermission");
        if (image.isPublic()) {
          xml.start("item").element("group", "all").end();
        }
        image.launchPermissions().forEach(user -> xml.start("item").element("userId", user).end());
        xml.end();
      }
      case "description" -> value(xml, "description", image.description());
      case "kernel" -> value(xml, "kernel", image.kernelId());
      case "ramdisk" -> value(xml, "ramdisk", image.ramdiskId());
      // No product codes or block-device mappings exist here: empty lists, as EC2 shows them.
      case "productCodes" -> xml.start("productCodes").end();
      case "blockDeviceMapping" -> xml.start("blockDeviceMapping").end();
      case "sriovNetSupport", "bootMode", "tpmSupport", "uefiData", "lastLaunchedTime", "imdsSupport" -> { }
      default -> throw Ec2Errors.invalidParameterValue("Value (" + attribute + ") for parameter attribute is invalid. Unknown attribute.");
    }
  }

  /** EC2 renders an unset attribute as an empty element, a set one as {@code <value>}. */
  private static void value(XmlWriter xml, String name, String value) {
    xml.start(name);
    if (value != null) {
      xml.element("value", value);
    }
    xml.end();
  }

  private static void modify(ImageService images, Ec2Request request, XmlWriter xml) {
    QueryParams p = request.params();
    String accountId = request.principal().accountId();
    String imageId = p.required("ImageId");
    // The CLI's --description sends Description.Value; older callers send Attribute=description + Value.
    var description = p.first("Description.Value")
        .or(() -> p.first("Attribute").filter("description"::equals).flatMap(a -> p.first("Value")));
    LaunchPermissionChange change = launchPermissionChange(p);
    if (description.isPresent() == !change.isEmpty()) {
      throw change.isEmpty() && description.isEmpty()
          ? Ec2Errors.missingParameter("LaunchPermission")
          : Ec2Errors.invalidParameterCombination("Modify one attribute per call: description or launchPermission");
    }
    if (description.isPresent()) {
      images.modifyDescription(accountId, imageId, description.get());
    } else {
      images.modifyLaunchPermission(accountId, imageId, change);
    }
    xml.element("return", true);
  }

  private static LaunchPermissionChange launchPermissionChange(QueryParams p) {
    List<String> addUsers = new ArrayList<>();
    List<String> removeUsers = new ArrayList<>();
    boolean[] groups = new boolean[2]; // [add all, remove all]
    QueryTree structured = p.tree().at("LaunchPermission");
    collect(structured.list("Add"), addUsers, groups, 0);
    collect(structured.list("Remove"), removeUsers, groups, 1);
    List<String> flatUsers = p.list("UserId");
    List<String> flatGroups = p.list("UserGroup");
    if (!flatUsers.isEmpty() || !flatGroups.isEmpty()) {
      String operation = p.first("OperationType").orElseThrow(() -> Ec2Errors.missingParameter("OperationType"));
      p.first("Attribute").filter(a -> !a.equals("launchPermission")).ifPresent(a -> {
        throw Ec2Errors.invalidParameterCombination("UserId and UserGroup modify launchPermission, not " + a);
      });
      int slot = switch (operation) {
        case "add" -> 0;
        case "remove" -> 1;
        default -> throw Ec2Errors.invalidParameterValue("Value (" + operation + ") for parameter OperationType is invalid.");
      };
      (slot == 0 ? addUsers : removeUsers).addAll(flatUsers);
      for (String group : flatGroups) {
        groups[slot] |= group(group);
      }
    }
    return new LaunchPermissionChange(addUsers, removeUsers, groups[0], groups[1]);
  }

  private static void collect(List<QueryTree> permissions, List<String> users, boolean[] groups, int slot) {
    for (QueryTree permission : permissions) {
      permission.string("UserId").ifPresent(users::add);
      permission.string("Group").ifPresent(g -> groups[slot] |= group(g));
      if (permission.string("OrganizationArn").isPresent() || permission.string("OrganizationalUnitArn").isPresent()) {
        throw Ec2Errors.invalidParameterValue("Sharing with organizations is not supported here; share with account ids");
      }
    }
  }

  /** The only launch-permission group EC2 has is {@code all}. */
  private static boolean group(String group) {
    if (!group.equals("all")) {
      throw ImageErrors.invalidAttributeItem(group, "group");
    }
    return true;
  }
}
