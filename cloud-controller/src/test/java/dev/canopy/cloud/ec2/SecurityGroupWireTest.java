package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * The security-group actions' wire shapes through the SDK, beyond the happy path: DryRun, rule
 * ids, the legacy source-group form, how rules are grouped back into IpPermissions, and the
 * status code of each refusal.
 */
class SecurityGroupWireTest {

  @TempDir static Path dir;
  static Ec2TestCloud cloud;
  static Ec2Client alice;

  @BeforeAll
  static void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, new AccessFamilies()::build);
    alice = cloud.client(cloud.newAccount("sg-wire"));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
  }

  private static IpPermission tcp(int port, String... cidrs) {
    return IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
        .ipRanges(java.util.Arrays.stream(cidrs).map(c -> IpRange.builder().cidrIp(c).build()).toList()).build();
  }

  private static void assertError(Executable call, int status, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(status);
    });
  }

  private String newGroup(String name) {
    return alice.createSecurityGroup(r -> r.groupName(name).description(name)).groupId();
  }

  private SecurityGroup describe(String id) {
    return alice.describeSecurityGroups(r -> r.groupIds(id)).securityGroups().get(0);
  }

  @Test
  void dryRunAuthorizeAnswers412AndAddsNothing() {
    String id = newGroup("dry");
    assertError(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(tcp(22, "10.0.0.0/8")).dryRun(true)), 412,
        "DryRunOperation");
    assertError(() -> alice.createSecurityGroup(r -> r.groupName("dry-2").description("d").dryRun(true)), 412, "DryRunOperation");
    assertThat(describe(id).ipPermissions()).isEmpty();
    assertError(() -> alice.describeSecurityGroups(r -> r.groupNames("dry-2")), 400, "InvalidGroup.NotFound");
  }

  @Test
  void rulesOfOneProtocolAndPortRangeComeBackAsOnePermission() {
    String id = newGroup("grouped");
    alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(tcp(443, "10.0.0.0/8")));
    alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(tcp(443, "192.168.0.0/16"), tcp(80, "0.0.0.0/0")));
    List<IpPermission> permissions = describe(id).ipPermissions();
    assertThat(permissions).hasSize(2);
    IpPermission https = permissions.stream().filter(p -> p.fromPort() == 443).findFirst().orElseThrow();
    assertThat(https.ipRanges()).extracting(IpRange::cidrIp).containsExactlyInAnyOrder("10.0.0.0/8", "192.168.0.0/16");
    assertThat(https.toPort()).isEqualTo(443);
  }

  @Test
  void aRuleIsRevokedByItsIdAndAnUnknownIdIsNotFound() {
    String id = newGroup("by-id");
    List<SecurityGroupRule> added = alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(tcp(22, "10.0.0.0/8", "10.1.0.0/16")))
        .securityGroupRules();
    assertThat(added).hasSize(2);
    String first = added.get(0).securityGroupRuleId();
    alice.revokeSecurityGroupIngress(r -> r.groupId(id).securityGroupRuleIds(first));
    assertThat(describe(id).ipPermissions()).singleElement().satisfies(p -> assertThat(p.ipRanges()).hasSize(1));
    assertError(() -> alice.revokeSecurityGroupIngress(r -> r.groupId(id).securityGroupRuleIds(first)), 400,
        "InvalidSecurityGroupRuleId.NotFound");
  }

  @Test
  void theLegacySourceGroupFormAllowsAllTrafficFromTheGroup() {
    String id = newGroup("legacy");
    String lb = newGroup("legacy-lb");
    alice.authorizeSecurityGroupIngress(r -> r.groupName("legacy").sourceSecurityGroupName("legacy-lb"));
    assertThat(describe(id).ipPermissions()).singleElement().satisfies(p -> {
      assertThat(p.ipProtocol()).isEqualTo("-1");
      assertThat(p.userIdGroupPairs()).singleElement().satisfies(g -> assertThat(g.groupId()).isEqualTo(lb));
    });
  }

  @Test
  void aPermissionWithNoSourceIsInvalidParameterValue() {
    String id = newGroup("no-source");
    assertError(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("tcp")
        .fromPort(22).toPort(22).build())), 400, "InvalidParameterValue");
    assertThat(describe(id).ipPermissions()).isEmpty();
  }

  @Test
  void anAuthorizeWithNothingToAuthorizeIsMissingParameter() {
    String id = newGroup("nothing");
    assertError(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id)), 400, "MissingParameter");
    assertError(() -> alice.revokeSecurityGroupIngress(r -> r.groupId(id)), 400, "MissingParameter");
  }

  @Test
  void aReferenceToAnotherAccountsGroupIsNotFound() {
    Ec2Client bob = cloud.client(cloud.newAccount("sg-wire-bob"));
    String bobs = bob.createSecurityGroup(r -> r.groupName("bobs").description("b")).groupId();
    String id = newGroup("refers");
    assertError(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("-1")
        .userIdGroupPairs(p -> p.groupId(bobs)).build())), 400, "InvalidGroup.NotFound");
  }

  @Test
  void theRuleLimitIsAClientErrorWithAwsCode() {
    String id = newGroup("full");
    for (int port = 1; port <= 60; port += 10) {
      int from = port;
      alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(
          java.util.stream.IntStream.range(from, from + 10).mapToObj(p -> tcp(p, "10.0.0.0/8")).toList()));
    }
    assertError(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(tcp(61, "10.0.0.0/8"))), 400,
        "RulesPerSecurityGroupLimitExceeded");
  }
}
