package dev.canopy.cloud.ec2;

import dev.canopy.api.query.QueryParams;
import dev.canopy.api.query.QueryTree;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.securitygroups.IpPermission;
import dev.canopy.cloud.securitygroups.SecurityGroupRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * IpPermissions on the wire: parsed from {@code IpPermissions.N.*} (and the legacy top-level
 * IpProtocol/FromPort/ToPort/CidrIp/SourceSecurityGroupName form), rendered from flat rules by
 * grouping them back per (protocol, ports) as AWS shows them.
 */
final class IpPermissionsXml {

  private IpPermissionsXml() {}

  static List<IpPermission> parse(QueryParams params) {
    List<IpPermission> out = new ArrayList<>();
    for (QueryTree p : params.tree().list("IpPermissions")) {
      List<IpPermission.GroupRef> groups = new ArrayList<>();
      // The wire name is Groups (the member's locationName); UserIdGroupPairs is the shape name.
      for (String listName : List.of("Groups", "UserIdGroupPairs")) {
        for (QueryTree g : p.list(listName)) {
          groups.add(new IpPermission.GroupRef(g.string("GroupId").orElse(null), g.string("GroupName").orElse(null),
              g.string("UserId").orElse(null), g.string("Description").orElse(null)));
        }
      }
      out.add(new IpPermission(p.string("IpProtocol").orElse(null), p.integer("FromPort").orElse(null),
          p.integer("ToPort").orElse(null), ranges(p, "IpRanges", "CidrIp"), ranges(p, "Ipv6Ranges", "CidrIpv6"), groups));
    }
    QueryTree root = params.tree();
    var cidr = root.string("CidrIp");
    var sourceGroup = root.string("SourceSecurityGroupName");
    if (cidr.isPresent() || sourceGroup.isPresent()) {
      // Without a protocol, a source group alone means all traffic from it (the legacy form).
      out.add(new IpPermission(root.string("IpProtocol").orElse(sourceGroup.isPresent() ? "-1" : null),
          root.integer("FromPort").orElse(null), root.integer("ToPort").orElse(null),
          cidr.map(c -> List.of(new IpPermission.Range(c, null))).orElse(List.of()), List.of(),
          sourceGroup.map(n -> List.of(new IpPermission.GroupRef(null, n,
              root.string("SourceSecurityGroupOwnerId").orElse(null), null))).orElse(List.of())));
    }
    return out;
  }

  private static List<IpPermission.Range> ranges(QueryTree p, String listName, String cidrName) {
    List<IpPermission.Range> ranges = new ArrayList<>();
    for (QueryTree r : p.list(listName)) {
      ranges.add(new IpPermission.Range(r.requiredString(cidrName), r.string("Description").orElse(null)));
    }
    return ranges;
  }

  /** {@code <element>} with one item per (protocol, ports), each with its peers. */
  static void render(XmlWriter xml, String element, String accountId, List<SecurityGroupRule> rules) {
    Map<List<Object>, List<SecurityGroupRule>> byTraffic = new LinkedHashMap<>();
    for (SecurityGroupRule r : rules) {
      byTraffic.computeIfAbsent(java.util.Arrays.asList(r.protocol(), r.fromPort(), r.toPort()), k -> new ArrayList<>()).add(r);
    }
    xml.start(element);
    for (List<SecurityGroupRule> same : byTraffic.values()) {
      SecurityGroupRule first = same.get(0);
      xml.start("item").element("ipProtocol", first.protocol());
      if (first.fromPort() != null) {
        xml.element("fromPort", first.fromPort()).element("toPort", first.toPort());
      }
      xml.start("groups");
      same.stream().filter(r -> r.referencedGroupId() != null).forEach(r -> {
        xml.start("item").element("userId", accountId).element("groupId", r.referencedGroupId())
            .optionalElement("description", r.description()).end();
      });
      xml.end().start("ipRanges");
      same.stream().filter(r -> r.cidrIpv4() != null).forEach(r ->
          xml.start("item").element("cidrIp", r.cidrIpv4()).optionalElement("description", r.description()).end());
      xml.end().start("ipv6Ranges");
      same.stream().filter(r -> r.cidrIpv6() != null).forEach(r ->
          xml.start("item").element("cidrIpv6", r.cidrIpv6()).optionalElement("description", r.description()).end());
      xml.end().start("prefixListIds").end().end();
    }
    xml.end();
  }

  /** {@code securityGroupRuleSet}: the rules an authorize added, one item each. */
  static void renderRules(XmlWriter xml, String accountId, String groupId, boolean egress, List<SecurityGroupRule> rules) {
    xml.start("securityGroupRuleSet");
    for (SecurityGroupRule r : rules) {
      xml.start("item").element("securityGroupRuleId", r.ruleId()).element("groupId", groupId)
          .element("groupOwnerId", accountId).element("isEgress", egress).element("ipProtocol", r.protocol())
          .element("fromPort", Objects.requireNonNullElse(r.fromPort(), -1))
          .element("toPort", Objects.requireNonNullElse(r.toPort(), -1))
          .optionalElement("cidrIpv4", r.cidrIpv4()).optionalElement("cidrIpv6", r.cidrIpv6());
      if (r.referencedGroupId() != null) {
        xml.start("referencedGroupInfo").element("groupId", r.referencedGroupId()).element("userId", accountId).end();
      }
      xml.optionalElement("description", r.description()).start("tagSet").end().end();
    }
    xml.end();
  }

  /** The fields of {@code ip-permission.*} / {@code egress.ip-permission.*} that {@link #filterValues} answers. */
  static final java.util.Set<String> RULE_FILTER_FIELDS = java.util.Set.of("protocol", "from-port", "to-port", "cidr", "ipv6-cidr", "group-id");

  /** True for an {@code ip-permission.*} / {@code egress.ip-permission.*} filter name with a known field. */
  static boolean isRuleFilter(String name) {
    String field = name.startsWith("egress.ip-permission.") ? name.substring("egress.ip-permission.".length())
        : name.startsWith("ip-permission.") ? name.substring("ip-permission.".length()) : null;
    return field != null && RULE_FILTER_FIELDS.contains(field);
  }

  /** Filter values of {@code ip-permission.*} / {@code egress.ip-permission.*}, or null. */
  static List<String> filterValues(String name, List<SecurityGroupRule> ingress, List<SecurityGroupRule> egress) {
    List<SecurityGroupRule> rules = name.startsWith("egress.") ? egress : ingress;
    String field = name.startsWith("egress.ip-permission.") ? name.substring("egress.ip-permission.".length())
        : name.startsWith("ip-permission.") ? name.substring("ip-permission.".length()) : null;
    if (field == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (SecurityGroupRule r : rules) {
      String v = switch (field) {
        case "protocol" -> r.protocol();
        case "from-port" -> r.fromPort() == null ? null : r.fromPort().toString();
        case "to-port" -> r.toPort() == null ? null : r.toPort().toString();
        case "cidr" -> r.cidrIpv4();
        case "ipv6-cidr" -> r.cidrIpv6();
        case "group-id" -> r.referencedGroupId();
        default -> throw Ec2Tags.unknownFilter(name);
      };
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }
}
