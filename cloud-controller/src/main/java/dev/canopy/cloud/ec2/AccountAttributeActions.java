package dev.canopy.cloud.ec2;

import dev.canopy.api.error.Ec2Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DescribeAccountAttributes: what Terraform's provider and the SDKs ask before anything else
 * (supported platforms, the default VPC) and the account's limits. Only VPC exists here (no
 * EC2-Classic), so {@code supported-platforms} is {@code VPC}; Terraform reads that to pick its
 * VPC code paths.
 */
public final class AccountAttributeActions {

  /** AWS's default On-Demand instance limit, used when the cloud configures none. */
  public static final int INSTANCES_MAX_DEFAULT = 20;
  private static final int ELASTIC_IPS_MAX = 5;
  private static final int GROUPS_PER_INTERFACE_MAX = 5;

  private AccountAttributeActions() {}

  public static List<Ec2Action> of(VpcActions.DefaultVpc defaultVpc) {
    return of(defaultVpc, INSTANCES_MAX_DEFAULT);
  }

  /** @param maxInstances the per-account instance limit this cloud answers with */
  public static List<Ec2Action> of(VpcActions.DefaultVpc defaultVpc, int maxInstances) {
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be at least 1: " + maxInstances);
    }
    return List.of(NamedAction.of("DescribeAccountAttributes", (request, xml) -> {
      String accountId = request.principal().accountId();
      List<String> names = request.params().list("AttributeName");
      List<String> known = List.of("supported-platforms", "default-vpc", "max-instances",
          "vpc-max-security-groups-per-interface", "max-elastic-ips", "vpc-max-elastic-ips");
      for (String name : names) {
        if (!known.contains(name)) {
          throw Ec2Errors.invalidParameterValue("Value (" + name + ") for parameter attributeName is invalid. Unknown attribute.");
        }
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String name : names.isEmpty() ? known : names) {
        values.put(name, switch (name) {
          case "supported-platforms" -> "VPC";
          // Only asked for when needed: the first call creates the account's VPC.
          case "default-vpc" -> defaultVpc.vpcId(accountId);
          case "max-instances" -> Integer.toString(maxInstances);
          case "vpc-max-security-groups-per-interface" -> Integer.toString(GROUPS_PER_INTERFACE_MAX);
          case "max-elastic-ips", "vpc-max-elastic-ips" -> Integer.toString(ELASTIC_IPS_MAX);
          default -> throw new IllegalStateException("checked above: " + name);
        });
      }
      xml.start("accountAttributeSet");
      values.forEach((name, value) -> xml.start("item")
          .element("attributeName", name)
          .start("attributeValueSet").start("item").element("attributeValue", value).end().end()
          .end());
      xml.end();
    }));
  }
}
