package dev.canopy.cloud.ec2;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.resources.Filters;
import java.util.List;
import java.util.Map;

/**
 * DescribeVpcs: each account has exactly one VPC, its default one (created with the account's
 * default security group on first use), with AWS's default-VPC shape: 172.31.0.0/16, default
 * tenancy, no IPv6. Nothing here creates or changes VPCs.
 */
public final class VpcActions {

  /** AWS's default-VPC block. */
  public static final String CIDR_BLOCK = "172.31.0.0/16";

  /** Where the account's one VPC id comes from (the security-group family keeps it). */
  @FunctionalInterface
  public interface DefaultVpc {
    String vpcId(String accountId);
  }

  private VpcActions() {}

  public static List<Ec2Action> of(DefaultVpc defaultVpc) {
    return List.of(NamedAction.of("DescribeVpcs", (request, xml) -> {
      String accountId = request.principal().accountId();
      String vpcId = defaultVpc.vpcId(accountId);
      for (String id : request.params().list("VpcId")) {
        if (!id.equals(vpcId)) {
          throw new AwsException(400, "InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
        }
      }
      boolean shown = Filters.matchAll(request.params().filters(), name -> switch (name) {
        case "vpc-id" -> List.of(vpcId);
        case "is-default" -> List.of("true");
        case "state" -> List.of("available");
        case "cidr", "cidr-block-association.cidr-block" -> List.of(CIDR_BLOCK);
        case "cidr-block-association.state" -> List.of("associated");
        case "owner-id" -> List.of(accountId);
        case "dhcp-options-id" -> List.of("default");
        default -> {
          List<String> tagValues = Ec2Tags.filterValues(name, Map.of());
          if (tagValues == null) {
            throw Ec2Tags.unknownFilter(name);
          }
          yield tagValues;
        }
      });
      xml.start("vpcSet");
      if (shown) {
        render(xml, accountId, vpcId);
      }
      xml.end();
    }));
  }

  private static void render(XmlWriter xml, String accountId, String vpcId) {
    xml.start("item")
        .element("vpcId", vpcId)
        .element("ownerId", accountId)
        .element("state", "available")
        .element("cidrBlock", CIDR_BLOCK)
        .start("cidrBlockAssociationSet")
        .start("item")
        // One association per VPC, so an id derived from the VPC's is stable across calls.
        .element("associationId", "vpc-cidr-assoc-" + vpcId.substring("vpc-".length()))
        .element("cidrBlock", CIDR_BLOCK)
        .start("cidrBlockState").element("state", "associated").end()
        .end()
        .end()
        .start("ipv6CidrBlockAssociationSet").end()
        .element("dhcpOptionsId", "default")
        .element("instanceTenancy", "default")
        .element("isDefault", true);
    Ec2Tags.render(xml, Map.of());
    xml.end();
  }
}
