package dev.canopy.cloud.securitygroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.tags.GridTagStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * AuthorizeSecurityGroupIngress/Egress and their Revoke as a user of the rules sees them:
 * aliases of one protocol are one rule, a repeat is InvalidPermission.Duplicate, revoking what
 * is not there is InvalidPermission.NotFound, the 60-rule limit, and all-or-nothing calls that
 * tell the firewalls only when something changed.
 */
class SecurityGroupRulesTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";

  private final List<String> changes = new ArrayList<>();
  private final SecurityGroupService service = new SecurityGroupService(new InMemoryTable<>(), new InMemoryTable<>(), new InMemoryTable<>(),
      new GridTagStore(new InMemoryTable<>()), new ResourceIds(new SplittableRandom(5)), (account, id) -> false)
      .withRuleChanges((account, groupId) -> changes.add(account + "/" + groupId));
  private final SecurityGroup web = service.create(A, "web", "web servers", Optional.empty(), Map.of());

  private static IpPermission cidr(String protocol, Integer from, Integer to, String... cidrs) {
    return new IpPermission(protocol, from, to, java.util.Arrays.stream(cidrs).map(c -> new IpPermission.Range(c, null)).toList(),
        List.of(), List.of());
  }

  private SecurityGroupService.Authorized ingress(IpPermission... permissions) {
    return service.authorize(A, Optional.of(web.groupId()), Optional.empty(), false, List.of(permissions));
  }

  private void revokeIngress(IpPermission... permissions) {
    service.revoke(A, Optional.of(web.groupId()), Optional.empty(), false, List.of(permissions), List.of());
  }

  private List<SecurityGroupRule> ingressRules() {
    return service.findById(A, web.groupId()).orElseThrow().ingress();
  }

  private static void assertError(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
    });
  }

  @Test
  void aProtocolNumberAndItsNameAreOneRule() {
    ingress(cidr("tcp", 22, 22, "10.0.0.0/8"));
    assertError(() -> ingress(cidr("6", 22, 22, "10.0.0.0/8")), "InvalidPermission.Duplicate");
    assertError(() -> ingress(cidr("TCP", 22, 22, "10.0.0.0/8")), "InvalidPermission.Duplicate");
    revokeIngress(cidr("6", 22, 22, "10.0.0.0/8"));
    assertThat(ingressRules()).isEmpty();
  }

  @Test
  void allTrafficIgnoresPortsSoTwoPortRangesAreOneRule() {
    ingress(cidr("-1", null, null, "10.0.0.0/8"));
    assertError(() -> ingress(cidr("-1", 1, 2, "10.0.0.0/8")), "InvalidPermission.Duplicate");
    assertThat(ingressRules()).singleElement().satisfies(r -> {
      assertThat(r.fromPort()).isNull();
      assertThat(r.toPort()).isNull();
    });
  }

  @Test
  void theSamePortsForAnotherPeerOrProtocolAreAnotherRule() {
    ingress(cidr("tcp", 443, 443, "10.0.0.0/8"));
    ingress(cidr("udp", 443, 443, "10.0.0.0/8"));
    ingress(cidr("tcp", 443, 443, "10.0.0.0/16"));
    ingress(cidr("tcp", 443, 444, "10.0.0.0/8"));
    assertThat(ingressRules()).hasSize(4).extracting(SecurityGroupRule::ruleId).doesNotHaveDuplicates();
  }

  @Test
  void aRepeatInsideOneRequestIsADuplicateAndAddsNothing() {
    assertError(() -> ingress(cidr("tcp", 80, 80, "0.0.0.0/0"), cidr("tcp", 80, 80, "0.0.0.0/0")), "InvalidPermission.Duplicate");
    assertError(() -> ingress(cidr("tcp", 80, 80, "0.0.0.0/0", "0.0.0.0/0")), "InvalidPermission.Duplicate");
    assertThat(ingressRules()).isEmpty();
    assertThat(changes).as("nothing changed, so no firewall is told").isEmpty();
  }

  @Test
  void theDuplicateMessageNamesTheRuleAsAwsDoes() {
    ingress(cidr("tcp", 22, 22, "10.0.0.0/8"));
    assertThatThrownBy(() -> ingress(cidr("tcp", 22, 22, "10.0.0.0/8"))).hasMessage(
        "the specified rule \"peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW\" already exists");
  }

  @Test
  void anInvalidPermissionAnywhereAddsNothing() {
    assertError(() -> ingress(cidr("tcp", 22, 22, "10.0.0.0/8"), cidr("tcp", 22, 22, "10.0.0.0/33")), "InvalidParameterValue");
    assertError(() -> ingress(cidr("tcp", 22, 22, "10.0.0.0/8"), cidr("gre", null, null, "10.0.0.0/8")), "InvalidParameterValue");
    assertError(() -> ingress(cidr("tcp", 22, 22, "10.0.0.0/8"), cidr("tcp", 80, 79, "10.0.0.0/8")), "InvalidParameterValue");
    assertError(() -> ingress(cidr(null, 22, 22, "10.0.0.0/8")), "MissingParameter");
    assertThat(ingressRules()).isEmpty();
  }

  @Test
  void sixtyRulesFitAndTheSixtyFirstIsRulesPerSecurityGroupLimitExceeded() {
    for (int port = 1; port <= SecurityGroupService.RULES_PER_DIRECTION_MAX; port++) {
      ingress(cidr("tcp", port, port, "10.0.0.0/8"));
    }
    assertError(() -> ingress(cidr("tcp", 1000, 1000, "10.0.0.0/8")), "RulesPerSecurityGroupLimitExceeded");
    assertThat(ingressRules()).hasSize(SecurityGroupService.RULES_PER_DIRECTION_MAX);
    // The limit is per direction: egress still has room.
    service.authorize(A, Optional.of(web.groupId()), Optional.empty(), true, List.of(cidr("tcp", 443, 443, "0.0.0.0/0")));
  }

  @Test
  void aCallThatWouldCrossTheLimitAddsNoneOfItsRules() {
    for (int port = 1; port < SecurityGroupService.RULES_PER_DIRECTION_MAX; port++) {
      ingress(cidr("tcp", port, port, "10.0.0.0/8"));
    }
    assertError(() -> ingress(cidr("tcp", 2000, 2000, "10.0.0.0/8", "10.1.0.0/16")), "RulesPerSecurityGroupLimitExceeded");
    assertThat(ingressRules()).hasSize(SecurityGroupService.RULES_PER_DIRECTION_MAX - 1);
  }

  @Test
  void revokingARuleThatIsNotThereIsNotFound() {
    assertError(() -> revokeIngress(cidr("tcp", 22, 22, "10.0.0.0/8")), "InvalidPermission.NotFound");
    ingress(cidr("tcp", 22, 22, "10.0.0.0/8"));
    assertError(() -> revokeIngress(cidr("tcp", 22, 23, "10.0.0.0/8")), "InvalidPermission.NotFound");
    assertError(() -> revokeIngress(cidr("udp", 22, 22, "10.0.0.0/8")), "InvalidPermission.NotFound");
    // An ingress rule is not an egress rule.
    assertError(() -> service.revoke(A, Optional.of(web.groupId()), Optional.empty(), true, List.of(cidr("tcp", 22, 22, "10.0.0.0/8")),
        List.of()), "InvalidPermission.NotFound");
    assertThat(ingressRules()).hasSize(1);
  }

  @Test
  void aRevokeWithOneMissingRuleRemovesNone() {
    ingress(cidr("tcp", 22, 22, "10.0.0.0/8"), cidr("tcp", 80, 80, "0.0.0.0/0"));
    changes.clear();
    assertError(() -> revokeIngress(cidr("tcp", 22, 22, "10.0.0.0/8"), cidr("tcp", 81, 81, "0.0.0.0/0")), "InvalidPermission.NotFound");
    assertThat(ingressRules()).hasSize(2);
    assertThat(changes).isEmpty();
  }

  @Test
  void aRuleIdOfAnotherGroupIsNotFoundInThisOne() {
    SecurityGroup db = service.create(A, "db", "db", Optional.empty(), Map.of());
    String dbRule = service.authorize(A, Optional.of(db.groupId()), Optional.empty(), false, List.of(cidr("tcp", 5432, 5432, "10.0.0.0/8")))
        .rules().get(0).ruleId();
    assertError(() -> service.revoke(A, Optional.of(web.groupId()), Optional.empty(), false, List.of(), List.of(dbRule)),
        "InvalidSecurityGroupRuleId.NotFound");
    // The right group, the wrong direction.
    assertError(() -> service.revoke(A, Optional.of(db.groupId()), Optional.empty(), true, List.of(), List.of(dbRule)),
        "InvalidSecurityGroupRuleId.NotFound");
    service.revoke(A, Optional.of(db.groupId()), Optional.empty(), false, List.of(), List.of(dbRule));
    assertThat(service.findById(A, db.groupId()).orElseThrow().ingress()).isEmpty();
  }

  @Test
  void aRevokeWithNothingToRevokeIsMissingParameter() {
    assertError(() -> service.revoke(A, Optional.of(web.groupId()), Optional.empty(), false, List.of(), List.of()), "MissingParameter");
    assertError(() -> service.authorize(A, Optional.of(web.groupId()), Optional.empty(), false, List.of()), "MissingParameter");
  }

  @Test
  void theGroupIsNamedByIdOrNameAndNeitherIsMissingParameter() {
    assertError(() -> service.authorize(A, Optional.empty(), Optional.empty(), false, List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))),
        "MissingParameter");
    assertError(() -> service.authorize(A, Optional.of("sg-123"), Optional.empty(), false, List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))),
        "InvalidGroupId.Malformed");
    assertError(() -> service.authorize(A, Optional.of("sg-0123456789abcdef0"), Optional.empty(), false,
        List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))), "InvalidGroup.NotFound");
    assertError(() -> service.authorize(A, Optional.empty(), Optional.of("nope"), false, List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))),
        "InvalidGroup.NotFound");
    assertThat(service.authorize(A, Optional.empty(), Optional.of("web"), false, List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))).groupId())
        .isEqualTo(web.groupId());
  }

  @Test
  void anotherAccountCannotAuthorizeOnTheGroup() {
    assertError(() -> service.authorize(B, Optional.of(web.groupId()), Optional.empty(), false, List.of(cidr("tcp", 1, 1, "10.0.0.0/8"))),
        "InvalidGroup.NotFound");
    assertError(() -> service.revoke(B, Optional.of(web.groupId()), Optional.empty(), true, List.of(), List.of(web.egress().get(0).ruleId())),
        "InvalidGroup.NotFound");
    assertThat(service.findById(A, web.groupId()).orElseThrow().egress()).hasSize(1);
  }

  @Test
  void aPeerGroupIsNamedByIdOrNameInTheCallersAccountOnly() {
    SecurityGroup lb = service.create(A, "lb", "load balancers", Optional.empty(), Map.of());
    var byName = new IpPermission("tcp", 80, 80, List.of(), List.of(), List.of(new IpPermission.GroupRef(null, "lb", null, "from lb")));
    assertThat(ingress(byName).rules()).singleElement().satisfies(r -> {
      assertThat(r.referencedGroupId()).isEqualTo(lb.groupId());
      assertThat(r.description()).isEqualTo("from lb");
    });
    var byIdWithOwner = new IpPermission("tcp", 80, 80, List.of(), List.of(), List.of(new IpPermission.GroupRef(lb.groupId(), null, A, null)));
    assertError(() -> ingress(byIdWithOwner), "InvalidPermission.Duplicate");
    var otherOwner = new IpPermission("tcp", 81, 81, List.of(), List.of(), List.of(new IpPermission.GroupRef(lb.groupId(), null, B, null)));
    assertError(() -> ingress(otherOwner), "InvalidGroup.NotFound");
    var unknown = new IpPermission("tcp", 81, 81, List.of(), List.of(), List.of(new IpPermission.GroupRef(null, "ghost", null, null)));
    assertError(() -> ingress(unknown), "InvalidGroup.NotFound");
  }

  @Test
  void aGroupMayReferToItself() {
    var self = new IpPermission("-1", null, null, List.of(), List.of(), List.of(new IpPermission.GroupRef(web.groupId(), null, null, null)));
    ingress(self);
    assertThat(ingressRules()).singleElement().satisfies(r -> assertThat(r.referencedGroupId()).isEqualTo(web.groupId()));
  }

  @Test
  void icmpTypeAndCodeAreStoredInThePortFields() {
    ingress(new IpPermission("icmp", 8, -1, List.of(new IpPermission.Range("0.0.0.0/0", "ping")), List.of(), List.of()));
    assertThat(ingressRules()).singleElement().satisfies(r -> {
      assertThat(r.protocol()).isEqualTo("icmp");
      assertThat(r.fromPort()).isEqualTo(8);
      assertThat(r.toPort()).isEqualTo(-1);
    });
    assertError(() -> ingress(new IpPermission("icmp", 8, -1, List.of(new IpPermission.Range("0.0.0.0/0", null)), List.of(), List.of())),
        "InvalidPermission.Duplicate");
  }

  @Test
  void aDescriptionOver255CharactersIsRefused() {
    var longDescription = new IpPermission("tcp", 1, 1, List.of(new IpPermission.Range("10.0.0.0/8", "d".repeat(256))), List.of(), List.of());
    assertError(() -> ingress(longDescription), "InvalidParameterValue");
    var fits = new IpPermission("tcp", 1, 1, List.of(new IpPermission.Range("10.0.0.0/8", "d".repeat(255))), List.of(), List.of());
    assertThat(ingress(fits).rules()).hasSize(1);
  }

  @Test
  void theFirewallsAreToldOncePerChangeOfTheGroup() {
    ingress(cidr("tcp", 22, 22, "10.0.0.0/8", "10.1.0.0/16"));
    revokeIngress(cidr("tcp", 22, 22, "10.0.0.0/8"));
    assertThat(changes).containsExactly(A + "/" + web.groupId(), A + "/" + web.groupId());
  }

  @Test
  void anIpv6RangeAndAnIpv4RangeAreSeparateRules() {
    ingress(new IpPermission("tcp", 443, 443, List.of(new IpPermission.Range("0.0.0.0/0", null)), List.of(new IpPermission.Range("::/0", null)),
        List.of()));
    assertThat(ingressRules()).extracting(r -> r.cidrIpv4() + "|" + r.cidrIpv6()).containsExactlyInAnyOrder("0.0.0.0/0|null", "null|::/0");
    revokeIngress(new IpPermission("tcp", 443, 443, List.of(), List.of(new IpPermission.Range("::/0", null)), List.of()));
    assertThat(ingressRules()).singleElement().satisfies(r -> assertThat(r.cidrIpv4()).isEqualTo("0.0.0.0/0"));
  }

  @Test
  void groupNamesAndDescriptionsAreBoundedTo255Characters() {
    assertError(() -> service.create(A, "n".repeat(256), "d", Optional.empty(), Map.of()), "InvalidParameterValue");
    assertError(() -> service.create(A, "n", "d".repeat(256), Optional.empty(), Map.of()), "InvalidParameterValue");
    assertError(() -> service.create(A, "", "d", Optional.empty(), Map.of()), "InvalidParameterValue");
    assertThat(service.create(A, "n".repeat(255), "d".repeat(255), Optional.empty(), Map.of()).groupName()).hasSize(255);
  }
}
