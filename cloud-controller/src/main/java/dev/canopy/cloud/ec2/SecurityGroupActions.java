package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.Filters;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.securitygroups.SecurityGroup;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.TagStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup, and Authorize/Revoke
 * SecurityGroup Ingress/Egress.
 */
public final class SecurityGroupActions {

  static final int PAGE_MIN = 5;
  static final int PAGE_MAX = 1000;

  /** The group's own filters DescribeSecurityGroups answers; kept beside its switch. */
  static final java.util.Set<String> GROUP_FILTERS = java.util.Set.of("group-id", "group-name", "description", "vpc-id", "owner-id");

  private SecurityGroupActions() {}

  public static List<Ec2Action> of(SecurityGroupService groups, TagStore tags) {
    List<Ec2Action> actions = new ArrayList<>(List.of(
        NamedAction.of("CreateSecurityGroup", (r, xml) -> {
          QueryParams p = r.params();
          SecurityGroup g = groups.create(r.principal().accountId(), p.required("GroupName"), p.required("GroupDescription"),
              p.first("VpcId"), Ec2Tags.fromSpecifications(p.tree(), SecurityGroupService.RESOURCE_TYPE));
          xml.element("return", true).element("groupId", g.groupId());
          Ec2Tags.render(xml, tags.tagsOf(g.accountId(), g.groupId()));
        }),
        NamedAction.of("DeleteSecurityGroup", (r, xml) -> {
          String id = groups.delete(r.principal().accountId(), r.params().first("GroupId"), r.params().first("GroupName"));
          xml.element("return", true).element("groupId", id);
        }),
        NamedAction.of("DescribeSecurityGroups", (r, xml) -> describe(groups, tags, r, xml))));
    for (boolean egress : new boolean[] {false, true}) {
      String direction = egress ? "Egress" : "Ingress";
      actions.add(NamedAction.of("AuthorizeSecurityGroup" + direction, (r, xml) -> {
        QueryParams p = r.params();
        String account = r.principal().accountId();
        var added = groups.authorize(account, p.first("GroupId"), egress ? Optional.empty() : p.first("GroupName"),
            egress, IpPermissionsXml.parse(p));
        xml.element("return", true);
        IpPermissionsXml.renderRules(xml, account, added.groupId(), egress, added.rules());
      }));
      actions.add(NamedAction.of("RevokeSecurityGroup" + direction, (r, xml) -> {
        QueryParams p = r.params();
        groups.revoke(r.principal().accountId(), p.first("GroupId"), egress ? Optional.empty() : p.first("GroupName"),
            egress, IpPermissionsXml.parse(p), p.list("SecurityGroupRuleId"));
        xml.element("return", true).start("unknownIpPermissionSet").end();
      }));
    }
    return List.copyOf(actions);
  }

  private static void describe(SecurityGroupService groups, TagStore tags, Ec2Request r, XmlWriter xml) {
    QueryParams p = r.params();
    String account = r.principal().accountId();
    List<String> ids = p.list("GroupId");
    List<String> names = p.list("GroupName");
    var maxResults = p.integer("MaxResults", PAGE_MIN, PAGE_MAX);
    if (maxResults.isPresent() && !ids.isEmpty()) {
      throw Ec2Errors.invalidParameterCombination("The parameter groupIds cannot be used with the parameter maxResults");
    }
    int pageSize = maxResults.orElse(PAGE_MAX);
    String after = p.first("NextToken").map(SecurityGroupActions::decodeToken).orElse(null);
    var filters = p.filters();
    Filters.requireKnown(filters, name -> GROUP_FILTERS.contains(name) || Ec2Tags.filterValues(name, Map.of()) != null
        || IpPermissionsXml.isRuleFilter(name));
    List<SecurityGroup> shown = new ArrayList<>();
    for (SecurityGroup g : groups.describe(account, ids, names)) {
      Map<String, String> groupTags = tags.tagsOf(account, g.groupId());
      boolean match = Filters.matchAll(filters, name -> switch (name) {
        case "group-id" -> List.of(g.groupId());
        case "group-name" -> List.of(g.groupName());
        case "description" -> List.of(g.description());
        case "vpc-id" -> List.of(g.vpcId());
        case "owner-id" -> List.of(g.accountId());
        default -> {
          List<String> values = Ec2Tags.filterValues(name, groupTags);
          values = values != null ? values : IpPermissionsXml.filterValues(name, g.ingress(), g.egress());
          if (values == null) {
            throw Ec2Tags.unknownFilter(name);
          }
          yield values;
        }
      });
      // Names are unique in an account and the list is in name order, so a name marks a page.
      if (match && (after == null || g.groupName().compareTo(after) > 0)) {
        shown.add(g);
      }
    }
    xml.start("securityGroupInfo");
    for (SecurityGroup g : shown.subList(0, Math.min(pageSize, shown.size()))) {
      xml.start("item").element("ownerId", g.accountId()).element("groupId", g.groupId())
          .element("groupName", g.groupName()).element("groupDescription", g.description());
      IpPermissionsXml.render(xml, "ipPermissions", account, g.ingress());
      IpPermissionsXml.render(xml, "ipPermissionsEgress", account, g.egress());
      xml.element("vpcId", g.vpcId());
      Ec2Tags.render(xml, tags.tagsOf(account, g.groupId()));
      xml.end();
    }
    xml.end();
    if (shown.size() > pageSize) {
      String last = shown.get(pageSize - 1).groupName();
      xml.element("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Ec2Errors.invalidParameterValue("The NextToken '" + token + "' is invalid");
    }
  }
}
