package dev.canopy.cloud.securitygroups;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import dev.canopy.cloud.limits.LimitErrors;
import dev.canopy.cloud.limits.ResourceQuota;
import dev.canopy.cloud.tags.TagRules;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.cloud.tags.TaggableResources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Security groups of every account. Groups are keyed by id; names are claimed in a second table
 * ({@code accountId/vpcId/name}) so a duplicate name is refused atomically. Rule changes are
 * compare-and-set loops on the group's record ({@link Tables#update}): concurrent authorizes
 * never lose a rule, and a duplicate is detected against what was really stored.
 */
public final class SecurityGroupService implements SecurityGroups {

  public static final String GROUPS_MAP = "security-groups";
  public static final String NAMES_MAP = "security-group-names";
  public static final String VPCS_MAP = "default-vpcs";
  public static final String RESOURCE_TYPE = "security-group";
  public static final String DEFAULT_NAME = "default";
  /** AWS's default quota: 60 inbound and 60 outbound rules per group. */
  static final int RULES_PER_DIRECTION_MAX = 60;
  static final int TEXT_CHARS_MAX = 255;

  /** The rules an authorize added to the group, with their {@code sgr-} ids. */
  public record Authorized(String groupId, List<SecurityGroupRule> rules) {}

  private final Table<SecurityGroup> groups;
  private final Table<GroupNameClaim> names;
  private final Table<DefaultVpc> vpcs;
  private final TagStore tags;
  private final ResourceIds ids;
  private final GroupUsage usage;
  private final ResourceQuota quota;
  private final RuleChanges ruleChanges;

  /** Told after a group's rules changed, so the hosts' firewalls follow. */
  @FunctionalInterface
  public interface RuleChanges {
    RuleChanges IGNORED = (accountId, groupId) -> { };

    void changed(String accountId, String groupId);

    /**
     * Asked before a group's rules change: a controller that cannot push the firewalls that
     * follow (only the lease holder commands node agents) refuses here, so that the change is
     * made where it reaches the hosts rather than stored where it never would.
     */
    default void admit(String accountId, String groupId) {}
  }

  public SecurityGroupService(
      Table<SecurityGroup> groups, Table<GroupNameClaim> names, Table<DefaultVpc> vpcs, TagStore tags, ResourceIds ids, GroupUsage usage) {
    this(groups, names, vpcs, tags, ids, usage, ResourceQuota.NONE);
  }

  public SecurityGroupService(Table<SecurityGroup> groups, Table<GroupNameClaim> names, Table<DefaultVpc> vpcs, TagStore tags,
      ResourceIds ids, GroupUsage usage, ResourceQuota quota) {
    this(groups, names, vpcs, tags, ids, usage, quota, RuleChanges.IGNORED);
  }

  /** With a per-account quota on groups, the default group included (CreateSecurityGroup: SecurityGroupLimitExceeded). */
  private SecurityGroupService(Table<SecurityGroup> groups, Table<GroupNameClaim> names, Table<DefaultVpc> vpcs, TagStore tags,
      ResourceIds ids, GroupUsage usage, ResourceQuota quota, RuleChanges ruleChanges) {
    this.ruleChanges = ruleChanges;
    this.quota = quota;
    this.groups = groups;
    this.names = names;
    this.vpcs = vpcs;
    this.tags = tags;
    this.ids = ids;
    this.usage = usage;
  }

  /** The service over the grid's durable maps {@link #GROUPS_MAP}, {@link #NAMES_MAP}, {@link #VPCS_MAP}. */
  public static SecurityGroupService onGrid(Grid grid, TagStore tags, ResourceIds ids, GroupUsage usage) {
    return new SecurityGroupService(grid.map(GROUPS_MAP, SecurityGroup.class), grid.map(NAMES_MAP, GroupNameClaim.class),
        grid.map(VPCS_MAP, DefaultVpc.class), tags, ids, usage);
  }

  /** The same service over the same tables, with this quota. */
  public SecurityGroupService withQuota(ResourceQuota newQuota) {
    return new SecurityGroupService(groups, names, vpcs, tags, ids, usage, newQuota, ruleChanges);
  }

  /** The same service over the same tables, telling {@code listener} of every rule change. */
  public SecurityGroupService withRuleChanges(RuleChanges listener) {
    return new SecurityGroupService(groups, names, vpcs, tags, ids, usage, quota, listener);
  }

  /** How CreateTags finds groups ({@code sg-...}); register it with TaggableResources. */
  public TaggableResources.Kind taggableKind() {
    return new TaggableResources.Kind("sg", RESOURCE_TYPE, "InvalidGroup.NotFound", this::exists);
  }

  /** The account's VPC id, creating it and the {@code default} group on first use. */
  @Override
  public String defaultVpc(String accountId) {
    String vpcId = vpcs.get(accountId).map(DefaultVpc::vpcId).orElse(null);
    if (vpcId == null) {
      vpcs.putIfAbsent(accountId, new DefaultVpc(accountId, ids.next("vpc")));
      vpcId = vpcs.get(accountId).orElseThrow(() -> new IllegalStateException("a stored VPC vanished")).vpcId();
    }
    if (names.get(nameKey(accountId, vpcId, DEFAULT_NAME)).isEmpty()) {
      String groupId = ids.next("sg");
      // AWS's default group: all traffic from its own members in, everything out.
      SecurityGroupRule self = new SecurityGroupRule(ids.next("sgr"), "-1", null, null, null, null, groupId, null);
      claimAndStore(new SecurityGroup(accountId, groupId, DEFAULT_NAME, "default VPC security group", vpcId,
          List.of(self), List.of(allowAllOut())), false);
    }
    return vpcId;
  }

  public SecurityGroup create(String accountId, String name, String description, Optional<String> vpcId, Map<String, String> newTags) {
    checkText("GroupName", name);
    checkText("GroupDescription", description);
    if (name.toLowerCase(Locale.ROOT).startsWith("sg-")) {
      throw Ec2Errors.invalidParameterValue("Group names may not be in the format sg-*");
    }
    TagRules.check(newTags);
    String vpc = defaultVpc(accountId);
    if (vpcId.isPresent() && !vpcId.get().equals(vpc)) {
      throw SecurityGroupErrors.vpcNotFound(vpcId.get());
    }
    checkQuota(accountId, vpc);
    SecurityGroup group = new SecurityGroup(accountId, ids.next("sg"), name, description, vpc, List.of(), List.of(allowAllOut()));
    claimAndStore(group, true);
    if (!newTags.isEmpty()) {
      tags.put(accountId, group.groupId(), RESOURCE_TYPE, newTags);
    }
    return group;
  }

  /**
   * The account's groups, all when no ids or names are given.
   *
   * @throws AwsException InvalidGroupId.Malformed, InvalidGroup.NotFound
   */
  public List<SecurityGroup> describe(String accountId, List<String> groupIds, List<String> groupNames) {
    String vpc = defaultVpc(accountId);
    groupIds.forEach(SecurityGroupService::checkId);
    List<SecurityGroup> mine = groups.values(g -> g.accountId().equals(accountId) && claimed(g)).stream()
        .sorted(Comparator.comparing(SecurityGroup::groupName)).toList();
    for (String id : groupIds) {
      if (mine.stream().noneMatch(g -> g.groupId().equals(id))) {
        throw SecurityGroupErrors.notFound(id);
      }
    }
    for (String name : groupNames) {
      if (mine.stream().noneMatch(g -> g.groupName().equals(name))) {
        throw SecurityGroupErrors.notFoundInVpc(name, vpc);
      }
    }
    if (groupIds.isEmpty() && groupNames.isEmpty()) {
      return mine;
    }
    return mine.stream().filter(g -> groupIds.contains(g.groupId()) || groupNames.contains(g.groupName())).toList();
  }

  /** @return the id of the deleted group */
  public String delete(String accountId, Optional<String> groupId, Optional<String> groupName) {
    SecurityGroup group = resolve(accountId, groupId, groupName);
    if (group.groupName().equals(DEFAULT_NAME)) {
      throw SecurityGroupErrors.cannotDelete();
    }
    boolean referenced = !groups.values(g -> g.accountId().equals(accountId) && !g.groupId().equals(group.groupId())
        && (references(g.ingress(), group.groupId()) || references(g.egress(), group.groupId()))).isEmpty();
    if (referenced || usage.inUse(accountId, group.groupId())) {
      throw SecurityGroupErrors.dependencyViolation(group.groupId());
    }
    groups.remove(group.groupId());
    names.remove(nameKey(accountId, group.vpcId(), group.groupName()));
    tags.remove(accountId, group.groupId(), List.of());
    return group.groupId();
  }

  /**
   * Adds rules, all or none.
   *
   * @throws AwsException InvalidPermission.Duplicate when any rule exists or repeats
   */
  public Authorized authorize(
      String accountId, Optional<String> groupId, Optional<String> groupName, boolean egress, List<IpPermission> permissions) {
    String id = resolve(accountId, groupId, groupName).groupId();
    List<SecurityGroupRule> requested = Permissions.flatten(permissions, ref -> resolveRef(accountId, ref));
    if (requested.isEmpty()) {
      throw Ec2Errors.missingParameter("IpPermissions");
    }
    ruleChanges.admit(accountId, id);
    List<SecurityGroupRule> added = new ArrayList<>();
    Tables.update(groups, id, group -> {
      added.clear();
      List<SecurityGroupRule> rules = new ArrayList<>(group.rules(egress));
      for (SecurityGroupRule rule : requested) {
        if (rules.stream().anyMatch(rule::sameAs)) {
          throw SecurityGroupErrors.duplicatePermission(rule);
        }
        SecurityGroupRule withId = rule.withId(ids.next("sgr"));
        rules.add(withId);
        added.add(withId);
      }
      if (rules.size() > RULES_PER_DIRECTION_MAX) {
        throw SecurityGroupErrors.rulesLimit(RULES_PER_DIRECTION_MAX);
      }
      return group.withRules(egress, rules);
    }).orElseThrow(() -> SecurityGroupErrors.notFound(id));
    ruleChanges.changed(accountId, id);
    return new Authorized(id, List.copyOf(added));
  }

  /**
   * Removes rules, all or none: by permission, or by {@code sgr-} id.
   *
   * @throws AwsException InvalidPermission.NotFound when a requested rule does not exist
   */
  public void revoke(String accountId, Optional<String> groupId, Optional<String> groupName, boolean egress,
      List<IpPermission> permissions, List<String> ruleIds) {
    String id = resolve(accountId, groupId, groupName).groupId();
    List<SecurityGroupRule> requested = Permissions.flatten(permissions, ref -> resolveRef(accountId, ref));
    if (requested.isEmpty() && ruleIds.isEmpty()) {
      throw Ec2Errors.missingParameter("IpPermissions");
    }
    ruleChanges.admit(accountId, id);
    Tables.update(groups, id, group -> {
      List<SecurityGroupRule> rules = new ArrayList<>(group.rules(egress));
      for (SecurityGroupRule rule : requested) {
        if (!rules.removeIf(rule::sameAs)) {
          throw SecurityGroupErrors.permissionNotFound();
        }
      }
      for (String ruleId : ruleIds) {
        if (!rules.removeIf(r -> r.ruleId().equals(ruleId))) {
          throw SecurityGroupErrors.ruleIdNotFound(ruleId);
        }
      }
      return group.withRules(egress, rules);
    }).orElseThrow(() -> SecurityGroupErrors.notFound(id));
    ruleChanges.changed(accountId, id);
  }

  @Override
  public Optional<SecurityGroup> findById(String accountId, String groupId) {
    defaultVpc(accountId);
    return groups.get(groupId).filter(g -> g.accountId().equals(accountId));
  }

  @Override
  public Optional<SecurityGroup> findByName(String accountId, String groupName) {
    String vpc = defaultVpc(accountId);
    return names.get(nameKey(accountId, vpc, groupName)).flatMap(claim -> findById(accountId, claim.groupId()));
  }

  /** For CreateTags: does this account have the group {@code sg-...}? */
  public boolean exists(String accountId, String groupId) {
    return findById(accountId, groupId).isPresent();
  }

  /** By id when given (InvalidGroupId.Malformed, InvalidGroup.NotFound), else by name. */
  private SecurityGroup resolve(String accountId, Optional<String> groupId, Optional<String> groupName) {
    if (groupId.isPresent()) {
      checkId(groupId.get());
      return findById(accountId, groupId.get()).orElseThrow(() -> SecurityGroupErrors.notFound(groupId.get()));
    }
    if (groupName.isPresent()) {
      return findByName(accountId, groupName.get())
          .orElseThrow(() -> SecurityGroupErrors.notFoundInVpc(groupName.get(), defaultVpc(accountId)));
    }
    throw Ec2Errors.missingParameter("GroupId or GroupName");
  }

  private String resolveRef(String accountId, IpPermission.GroupRef ref) {
    if (ref.userId() != null && !ref.userId().equals(accountId)) {
      // Groups of other accounts are invisible: the same answer as for no group at all.
      throw SecurityGroupErrors.notFound(ref.groupId() != null ? ref.groupId() : ref.groupName());
    }
    return resolve(accountId, Optional.ofNullable(ref.groupId()), Optional.ofNullable(ref.groupName())).groupId();
  }

  /**
   * Stores a group, then claims its name. In that order, anyone who finds the claim also finds
   * the group, even while two requests race to create the same name (say, an account's default
   * group on its first concurrent calls); the loser removes its unclaimed group.
   */
  private void claimAndStore(SecurityGroup group, boolean failOnDuplicate) {
    String nameKey = nameKey(group.accountId(), group.vpcId(), group.groupName());
    groups.put(group.groupId(), group);
    boolean claimed;
    try {
      claimed = names.putIfAbsent(nameKey, new GroupNameClaim(group.accountId(), group.vpcId(), group.groupId()));
    } catch (RuntimeException e) {
      groups.remove(group.groupId());
      throw e;
    }
    if (!claimed) {
      groups.remove(group.groupId());
      if (failOnDuplicate) {
        throw SecurityGroupErrors.duplicate(group.groupName(), group.vpcId());
      }
    }
  }

  /**
   * Check then create, not atomic: two creates racing at the limit may both pass, leaving the
   * account one over (the quota bounds growth, not exactly). The default group never fails it.
   */
  private void checkQuota(String accountId, String vpcId) {
    if (quota.isUnlimited()) {
      return;
    }
    int existing = groups.values(g -> g.accountId().equals(accountId)).size();
    if (!quota.allowsOneMore(existing)) {
      throw LimitErrors.securityGroupLimitExceeded(vpcId);
    }
  }

  /** A group whose name claim is its own: hides a racing loser in the moment before it is removed. */
  private boolean claimed(SecurityGroup group) {
    return names.get(nameKey(group.accountId(), group.vpcId(), group.groupName()))
        .map(claim -> claim.groupId().equals(group.groupId())).orElse(false);
  }

  private static boolean references(List<SecurityGroupRule> rules, String groupId) {
    return rules.stream().anyMatch(r -> groupId.equals(r.referencedGroupId()));
  }

  private SecurityGroupRule allowAllOut() {
    return new SecurityGroupRule(ids.next("sgr"), "-1", null, null, "0.0.0.0/0", null, null, null);
  }

  private static void checkId(String id) {
    if (!ResourceIds.isWellFormed("sg", id)) {
      throw SecurityGroupErrors.malformedId(id);
    }
  }

  private static void checkText(String parameter, String value) {
    if (value.isEmpty() || value.length() > TEXT_CHARS_MAX) {
      throw Ec2Errors.invalidParameterValue("Value for parameter " + parameter + " must be 1 to " + TEXT_CHARS_MAX + " characters");
    }
  }

  private static String nameKey(String accountId, String vpcId, String name) {
    return accountId + "/" + vpcId + "/" + name;
  }
}
