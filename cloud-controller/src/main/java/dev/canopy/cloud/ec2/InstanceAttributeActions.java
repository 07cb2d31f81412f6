package dev.canopy.cloud.ec2;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.query.QueryTree;
import dev.canopy.cloud.compute.AttributeChange;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceStatusPage;
import dev.canopy.cloud.compute.ShutdownBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeInstanceAttribute, ModifyInstanceAttribute and DescribeInstanceStatus: the rest of
 * the instance family, registered with it by {@link InstanceActions#of}.
 */
final class InstanceAttributeActions {

  /** Every {@code InstanceAttributeName} the model has; DescribeInstanceAttribute renders them all. */
  static final Set<String> ATTRIBUTE_NAMES = Set.of("instanceType", "kernel", "ramdisk", "userData", "disableApiTermination",
      "instanceInitiatedShutdownBehavior", "rootDeviceName", "blockDeviceMapping", "productCodes", "sourceDestCheck",
      "groupSet", "ebsOptimized", "sriovNetSupport", "enaSupport", "enclaveOptions", "disableApiStop");

  /** ModifyInstanceAttribute's structured parameters, by the attribute each one changes. */
  private static final Map<String, String> STRUCTURED = Map.of(
      "InstanceType", "instanceType",
      "UserData", "userData",
      "DisableApiTermination", "disableApiTermination",
      "DisableApiStop", "disableApiStop",
      "InstanceInitiatedShutdownBehavior", "instanceInitiatedShutdownBehavior",
      "SourceDestCheck", "sourceDestCheck",
      "GroupId", "groupSet");

  /** The model's other structured parameters: recognised, but nothing here can change them. */
  private static final Set<String> UNSUPPORTED = Set.of("Kernel", "Ramdisk", "SriovNetSupport", "EnaSupport", "EbsOptimized",
      "BlockDeviceMapping");

  private InstanceAttributeActions() {}

  static List<Ec2Action> of(InstanceService service) {
    return List.of(
        NamedAction.of("DescribeInstanceAttribute", (r, xml) -> {
          String id = r.params().required("InstanceId");
          String attribute = r.params().required("Attribute");
          if (!ATTRIBUTE_NAMES.contains(attribute)) {
            throw Ec2Errors.invalidParameterValue("Value (" + attribute + ") for parameter attribute is invalid. Unknown attribute.");
          }
          InstanceXml.attribute(xml, service.describeAttributes(r.principal().accountId(), id), attribute);
        }),
        NamedAction.of("ModifyInstanceAttribute", (r, xml) -> {
          String id = r.params().required("InstanceId");
          service.modifyAttribute(r.principal().accountId(), id, change(r.params()));
          xml.element("return", true);
        }),
        NamedAction.of("DescribeInstanceStatus", (r, xml) -> {
          QueryParams p = r.params();
          Integer max = p.integer("MaxResults", 5, 1000).orElse(null);
          InstanceStatusPage page = service.describeStatus(r.principal().accountId(), p.list("InstanceId"),
              p.bool("IncludeAllInstances").orElse(false), p.filters(), max, p.first("NextToken").orElse(null));
          InstanceXml.statuses(xml, page.statuses());
          xml.optionalElement("nextToken", page.nextToken());
        }));
  }

  /**
   * The one change a ModifyInstanceAttribute call asks for: either {@code Attribute} with
   * {@code Value}, or exactly one structured parameter ({@code DisableApiTermination.Value},
   * {@code GroupId.N}, ...). EC2 refuses several in one call, and so do we.
   */
  static AttributeChange change(QueryParams p) {
    QueryTree tree = p.tree();
    List<String> named = new ArrayList<>();
    // Attribute=groupSet names the attribute GroupId.N carries: one change, not two.
    p.first("Attribute").filter(a -> !(a.equals("groupSet") && tree.at("GroupId").isPresent())).ifPresent(a -> named.add("Attribute"));
    STRUCTURED.keySet().stream().filter(k -> tree.at(k).isPresent()).sorted().forEach(named::add);
    for (String k : UNSUPPORTED) {
      if (tree.at(k).isPresent()) {
        throw unsupported(k);
      }
    }
    if (named.isEmpty()) {
      throw Ec2Errors.invalidParameterCombination("No attributes specified.");
    }
    if (named.size() > 1) {
      throw Ec2Errors.invalidParameterCombination("Fields for multiple attribute types specified: " + String.join(", ", named));
    }
    String form = named.get(0);
    if (form.equals("GroupId")) {
      List<String> ids = p.list("GroupId");
      if (ids.isEmpty()) {
        throw Ec2Errors.missingParameter("GroupId");
      }
      return new AttributeChange.Groups(ids);
    }
    String attribute;
    QueryTree value;
    if (form.equals("Attribute")) {
      attribute = p.required("Attribute");
      value = tree.at("Value");
    } else {
      attribute = STRUCTURED.get(form);
      value = tree.at(form + ".Value");
    }
    return change(attribute, value);
  }

  private static AttributeChange change(String attribute, QueryTree value) {
    switch (attribute) {
      case "userData" -> {
        // An empty value clears the user data.
        String base64 = value.value().filter(v -> !v.isEmpty()).orElse(null);
        if (base64 != null) {
          InstanceActions.checkUserData(base64);
        }
        return new AttributeChange.UserData(base64);
      }
      case "groupSet" -> throw Ec2Errors.invalidParameterCombination("The attribute groupSet is modified with GroupId.N.");
      default -> { }
    }
    if (!ATTRIBUTE_NAMES.contains(attribute)) {
      throw Ec2Errors.invalidParameterValue("Value (" + attribute + ") for parameter attribute is invalid. Unknown attribute.");
    }
    String raw = value.value().orElseThrow(() -> Ec2Errors.missingParameter(value.path()));
    return switch (attribute) {
      case "instanceType" -> new AttributeChange.InstanceType(raw);
      case "disableApiTermination" -> new AttributeChange.DisableApiTermination(bool(value));
      case "disableApiStop" -> new AttributeChange.DisableApiStop(bool(value));
      case "sourceDestCheck" -> new AttributeChange.SourceDestCheck(bool(value));
      case "instanceInitiatedShutdownBehavior" -> new AttributeChange.InstanceInitiatedShutdownBehavior(shutdownBehavior(raw));
      default -> throw unsupported(attribute);
    };
  }

  static ShutdownBehavior shutdownBehavior(String raw) {
    ShutdownBehavior behavior = ShutdownBehavior.byWireName(raw);
    if (behavior == null) {
      throw Ec2Errors.invalidParameterValue("Value (" + raw + ") for parameter instanceInitiatedShutdownBehavior is invalid. "
          + "Expected 'stop' or 'terminate'.");
    }
    return behavior;
  }

  private static boolean bool(QueryTree value) {
    String raw = value.value().orElseThrow(() -> Ec2Errors.missingParameter(value.path())).trim();
    if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw Ec2Errors.invalidParameterValue("Value (" + raw + ") for parameter " + value.path() + " is invalid. Expected 'true' or 'false'.");
  }

  private static AwsException unsupported(String attribute) {
    return new AwsException(400, "UnsupportedOperation", "The attribute '" + attribute + "' cannot be modified in this cloud.");
  }
}
