package dev.canopy.cloud.ec2;

import static dev.canopy.cloud.ec2.KeyPairActionsTest.assertCode;
import static dev.canopy.cloud.ec2.KeyPairActionsTest.filter;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/** The security-group family through the real endpoint with the AWS SDK for Java v2. */
class SecurityGroupActionsTest {

  @TempDir static Path dir;
  static Ec2TestCloud cloud;
  static AccessFamilies families = new AccessFamilies();
  static Ec2Client alice;
  static Ec2Client bob;
  static String aliceId;

  @BeforeAll
  static void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, families::build);
    var account = cloud.newAccount("sg-alice");
    aliceId = account.account().id();
    alice = cloud.client(account);
    bob = cloud.client(cloud.newAccount("sg-bob"));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
  }

  @Test
  void theDefaultGroupExistsAndCannotBeDeleted() {
    SecurityGroup def = alice.describeSecurityGroups(r -> r.groupNames("default")).securityGroups().get(0);
    assertThat(def.ownerId()).isEqualTo(aliceId);
    assertThat(def.vpcId()).matches("vpc-[0-9a-f]{17}");
    assertThat(def.ipPermissionsEgress()).singleElement().satisfies(p -> {
      assertThat(p.ipProtocol()).isEqualTo("-1");
      assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("0.0.0.0/0");
    });
    assertThat(def.ipPermissions()).singleElement().satisfies(p ->
        assertThat(p.userIdGroupPairs()).extracting(UserIdGroupPair::groupId).containsExactly(def.groupId()));
    assertCode(() -> alice.deleteSecurityGroup(r -> r.groupId(def.groupId())), "CannotDelete");
    assertCode(() -> alice.deleteSecurityGroup(r -> r.groupName("default")), "CannotDelete");
  }

  @Test
  void createAuthorizeDescribeRevokeDelete() {
    String id = alice.createSecurityGroup(r -> r.groupName("web").description("web servers")
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
            .tags(Tag.builder().key("tier").value("front").build()).build())).groupId();
    assertThat(id).matches("sg-[0-9a-f]{17}");
    IpPermission ssh = IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
        .ipRanges(IpRange.builder().cidrIp("10.0.0.0/8").description("office").build())
        .ipv6Ranges(Ipv6Range.builder().cidrIpv6("2001:db8::/32").build()).build();
    var authorized = alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(ssh));
    assertThat(authorized.returnValue()).isTrue();
    assertThat(authorized.securityGroupRules()).hasSize(2).allSatisfy(rule -> {
      assertThat(rule.securityGroupRuleId()).matches("sgr-[0-9a-f]{17}");
      assertThat(rule.groupId()).isEqualTo(id);
      assertThat(rule.isEgress()).isFalse();
      assertThat(rule.fromPort()).isEqualTo(22);
    });
    // The legacy top-level form, by group name.
    alice.authorizeSecurityGroupIngress(r -> r.groupName("web").ipProtocol("udp").fromPort(53).toPort(53).cidrIp("192.168.0.0/16"));
    String defaultId = alice.describeSecurityGroups(r -> r.groupNames("default")).securityGroups().get(0).groupId();
    alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("-1")
        .userIdGroupPairs(UserIdGroupPair.builder().groupId(defaultId).build()).build()));
    alice.authorizeSecurityGroupEgress(r -> r.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("icmp").fromPort(8).toPort(0)
        .ipRanges(IpRange.builder().cidrIp("10.1.0.0/16").build()).build()));

    SecurityGroup web = alice.describeSecurityGroups(r -> r.groupIds(id)).securityGroups().get(0);
    assertThat(web.groupName()).isEqualTo("web");
    assertThat(web.description()).isEqualTo("web servers");
    assertThat(web.tags()).containsExactly(Tag.builder().key("tier").value("front").build());
    assertThat(web.ipPermissions()).hasSize(3);
    IpPermission tcp = web.ipPermissions().stream().filter(p -> p.ipProtocol().equals("tcp")).findFirst().orElseThrow();
    assertThat(tcp.ipRanges()).containsExactly(IpRange.builder().cidrIp("10.0.0.0/8").description("office").build());
    assertThat(tcp.ipv6Ranges()).extracting(Ipv6Range::cidrIpv6).containsExactly("2001:db8::/32");
    assertThat(web.ipPermissionsEgress()).hasSize(2);

    assertThat(alice.describeSecurityGroups(r -> r.filters(filter("ip-permission.cidr", "10.0.0.0/8"))).securityGroups())
        .extracting(SecurityGroup::groupId).containsExactly(id);
    assertThat(alice.describeSecurityGroups(r -> r.filters(filter("tag:tier", "front"), filter("group-name", "w*"))).securityGroups())
        .extracting(SecurityGroup::groupId).containsExactly(id);
    assertThat(alice.describeSecurityGroups(r -> r.filters(filter("owner-id", aliceId), filter("description", "nothing"))).securityGroups())
        .isEmpty();
    // Web's own rules (even one naming the default group as a peer) never keep web from going.
    assertCode(() -> alice.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(ssh)), "InvalidPermission.Duplicate");
    alice.revokeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(ssh));
    assertCode(() -> alice.revokeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(ssh)), "InvalidPermission.NotFound");
    assertThat(alice.revokeSecurityGroupEgress(r -> r.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("-1")
        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())).returnValue()).isTrue();
    assertThat(alice.deleteSecurityGroup(r -> r.groupId(id)).groupId()).isEqualTo(id);
    assertCode(() -> alice.describeSecurityGroups(r -> r.groupIds(id)), "InvalidGroup.NotFound");
  }

  @Test
  void validationErrors() {
    assertCode(() -> alice.createSecurityGroup(r -> r.groupName("no-description")), "MissingParameter");
    assertCode(() -> alice.createSecurityGroup(r -> r.description("no name")), "MissingParameter");
    alice.createSecurityGroup(r -> r.groupName("dup").description("d"));
    assertCode(() -> alice.createSecurityGroup(r -> r.groupName("dup").description("d")), "InvalidGroup.Duplicate");
    assertCode(() -> alice.describeSecurityGroups(r -> r.groupIds("sg-zzz")), "InvalidGroupId.Malformed");
    assertCode(() -> alice.describeSecurityGroups(r -> r.groupIds("sg-0000000000000000a")), "InvalidGroup.NotFound");
    assertCode(() -> alice.describeSecurityGroups(r -> r.groupNames("nope")), "InvalidGroup.NotFound");
    assertCode(() -> alice.authorizeSecurityGroupIngress(r -> r.groupName("dup").ipProtocol("tcp").fromPort(22).toPort(22)
        .cidrIp("10.0.0.0/33")), "InvalidParameterValue");
    assertCode(() -> alice.authorizeSecurityGroupIngress(r -> r.groupName("dup").ipProtocol("tcp").fromPort(70000).toPort(70001)
        .cidrIp("10.0.0.0/8")), "InvalidParameterValue");
    assertCode(() -> alice.authorizeSecurityGroupIngress(r -> r.groupName("dup").ipProtocol("bogus").cidrIp("10.0.0.0/8")),
        "InvalidParameterValue");
    assertCode(() -> alice.authorizeSecurityGroupIngress(r -> r.groupName("missing").ipProtocol("tcp").fromPort(1).toPort(1)
        .cidrIp("10.0.0.0/8")), "InvalidGroup.NotFound");
    assertCode(() -> alice.deleteSecurityGroup(r -> r.groupId("sg-0000000000000000a")), "InvalidGroup.NotFound");
  }

  @Test
  void dependencyViolationWhileReferencedOrInUse() {
    String db = alice.createSecurityGroup(r -> r.groupName("db").description("db")).groupId();
    String app = alice.createSecurityGroup(r -> r.groupName("app").description("app")).groupId();
    alice.authorizeSecurityGroupIngress(r -> r.groupId(db).ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(5432)
        .toPort(5432).userIdGroupPairs(UserIdGroupPair.builder().groupId(app).build()).build()));
    assertCode(() -> alice.deleteSecurityGroup(r -> r.groupId(app)), "DependencyViolation");
    families.inUse.add(db);
    assertCode(() -> alice.deleteSecurityGroup(r -> r.groupName("db")), "DependencyViolation");
    families.inUse.remove(db);
    alice.deleteSecurityGroup(r -> r.groupName("db"));
    alice.deleteSecurityGroup(r -> r.groupId(app));
  }

  @Test
  void anotherAccountSeesNothing() {
    String secret = alice.createSecurityGroup(r -> r.groupName("alice-only").description("a")).groupId();
    assertThat(bob.describeSecurityGroups().securityGroups()).extracting(SecurityGroup::groupName).containsExactly("default");
    assertCode(() -> bob.describeSecurityGroups(r -> r.groupIds(secret)), "InvalidGroup.NotFound");
    assertCode(() -> bob.describeSecurityGroups(r -> r.groupNames("alice-only")), "InvalidGroup.NotFound");
    assertCode(() -> bob.deleteSecurityGroup(r -> r.groupId(secret)), "InvalidGroup.NotFound");
    assertCode(() -> bob.authorizeSecurityGroupIngress(r -> r.groupId(secret).ipProtocol("tcp").fromPort(1).toPort(1)
        .cidrIp("0.0.0.0/0")), "InvalidGroup.NotFound");
    assertCode(() -> bob.revokeSecurityGroupEgress(r -> r.groupId(secret).ipPermissions(IpPermission.builder().ipProtocol("-1")
        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())), "InvalidGroup.NotFound");
    // Nor can Bob name Alice's group as a peer of his own.
    String bobs = bob.createSecurityGroup(r -> r.groupName("bobs").description("b")).groupId();
    assertCode(() -> bob.authorizeSecurityGroupIngress(r -> r.groupId(bobs).ipPermissions(IpPermission.builder().ipProtocol("-1")
        .userIdGroupPairs(UserIdGroupPair.builder().groupId(secret).build()).build())), "InvalidGroup.NotFound");
    assertCode(() -> bob.createTags(r -> r.resources(secret).tags(Tag.builder().key("a").value("b").build())), "InvalidGroup.NotFound");
    assertThat(alice.describeSecurityGroups(r -> r.groupIds(secret)).securityGroups()).hasSize(1);
  }

  @Test
  void pagination() {
    for (int i = 0; i < 7; i++) {
      int n = i;
      alice.createSecurityGroup(r -> r.groupName("page-" + n).description("p"));
    }
    var first = alice.describeSecurityGroups(r -> r.maxResults(5).filters(filter("group-name", "page-*")));
    assertThat(first.securityGroups()).hasSize(5);
    assertThat(first.nextToken()).isNotNull();
    var second = alice.describeSecurityGroups(r -> r.maxResults(5).nextToken(first.nextToken()).filters(filter("group-name", "page-*")));
    assertThat(second.securityGroups()).extracting(SecurityGroup::groupName).containsExactly("page-5", "page-6");
    assertThat(second.nextToken()).isNull();
  }
}
