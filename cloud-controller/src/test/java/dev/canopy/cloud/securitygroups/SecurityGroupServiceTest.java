package dev.canopy.cloud.securitygroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.tags.ResourceTags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SecurityGroupServiceTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private final Set<String> used = new HashSet<>();
  private final InMemoryTable<SecurityGroup> groups = new InMemoryTable<>();
  private final GridTagStore tags = new GridTagStore(new InMemoryTable<ResourceTags>());
  private final SecurityGroupService service = new SecurityGroupService(groups, new InMemoryTable<>(), new InMemoryTable<>(), tags,
      new ResourceIds(new SplittableRandom(3)), (account, id) -> used.contains(id));

  @Test
  void theDefaultGroupAndVpcAppearOnFirstUseAndTheGroupCannotBeDeleted() {
    String vpc = service.defaultVpc(A);
    assertThat(vpc).matches("vpc-[0-9a-f]{17}");
    assertThat(service.defaultVpc(A)).isEqualTo(vpc);
    SecurityGroup def = service.findByName(A, "default").orElseThrow();
    assertThat(def.vpcId()).isEqualTo(vpc);
    assertThat(def.ingress()).singleElement().satisfies(r -> assertThat(r.referencedGroupId()).isEqualTo(def.groupId()));
    assertThat(def.egress()).singleElement().satisfies(r -> assertThat(r.cidrIpv4()).isEqualTo("0.0.0.0/0"));
    assertThat(groups.size()).isEqualTo(1);
    assertCode(() -> service.delete(A, Optional.of(def.groupId()), Optional.empty()), "CannotDelete");
    assertCode(() -> service.create(A, "default", "again", Optional.empty(), Map.of()), "InvalidGroup.Duplicate");
    assertThat(service.defaultVpc(B)).isNotEqualTo(vpc);
  }

  @Test
  void createValidatesAndGetsTheDefaultEgressRule() {
    SecurityGroup web = service.create(A, "web", "web servers", Optional.empty(), Map.of("tier", "front"));
    assertThat(web.egress()).singleElement().satisfies(r -> {
      assertThat(r.protocol()).isEqualTo("-1");
      assertThat(r.cidrIpv4()).isEqualTo("0.0.0.0/0");
    });
    assertThat(web.ingress()).isEmpty();
    assertThat(tags.tagsOf(A, web.groupId())).containsEntry("tier", "front");
    assertCode(() -> service.create(A, "web", "again", Optional.empty(), Map.of()), "InvalidGroup.Duplicate");
    assertCode(() -> service.create(A, "sg-named", "d", Optional.empty(), Map.of()), "InvalidParameterValue");
    assertCode(() -> service.create(A, "x", "d", Optional.of("vpc-0000000000000000a"), Map.of()), "InvalidVpcID.NotFound");
    // Another account may use the same name, and cannot see this group.
    service.create(B, "web", "b's", Optional.empty(), Map.of());
    assertThat(service.findById(B, web.groupId())).isEmpty();
    assertCode(() -> service.describe(B, List.of(web.groupId()), List.of()), "InvalidGroup.NotFound");
    assertCode(() -> service.describe(A, List.of("sg-nothex"), List.of()), "InvalidGroupId.Malformed");
    assertCode(() -> service.describe(A, List.of(), List.of("nope")), "InvalidGroup.NotFound");
  }

  @Test
  void rulesAreDedupedAndRevokedAllOrNothing() {
    SecurityGroup g = service.create(A, "ssh", "ssh", Optional.empty(), Map.of());
    var ssh = new IpPermission("tcp", 22, 22, List.of(new IpPermission.Range("10.0.0.0/8", null)), List.of(), List.of());
    var added = service.authorize(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(ssh));
    assertThat(added.groupId()).isEqualTo(g.groupId());
    assertThat(added.rules()).singleElement().satisfies(r -> assertThat(r.ruleId()).matches("sgr-[0-9a-f]{17}"));
    assertCode(() -> service.authorize(A, Optional.empty(), Optional.of("ssh"), false, List.of(ssh)), "InvalidPermission.Duplicate");
    var both = new IpPermission("tcp", 80, 80, List.of(new IpPermission.Range("0.0.0.0/0", null)), List.of(), List.of());
    // The second permission duplicates: the first must not be added either.
    assertCode(() -> service.authorize(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(both, ssh)), "InvalidPermission.Duplicate");
    assertThat(service.findById(A, g.groupId()).orElseThrow().ingress()).hasSize(1);
    assertCode(() -> service.revoke(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(ssh, both), List.of()),
        "InvalidPermission.NotFound");
    service.revoke(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(ssh), List.of());
    assertThat(service.findById(A, g.groupId()).orElseThrow().ingress()).isEmpty();
    String egressRule = g.egress().get(0).ruleId();
    service.revoke(A, Optional.of(g.groupId()), Optional.empty(), true, List.of(), List.of(egressRule));
    assertThat(service.findById(A, g.groupId()).orElseThrow().egress()).isEmpty();
    assertCode(() -> service.revoke(A, Optional.of(g.groupId()), Optional.empty(), true, List.of(), List.of(egressRule)),
        "InvalidSecurityGroupRuleId.NotFound");
  }

  @Test
  void aGroupInUseOrReferencedCannotBeDeleted() {
    SecurityGroup db = service.create(A, "db", "db", Optional.empty(), Map.of());
    SecurityGroup app = service.create(A, "app", "app", Optional.empty(), Map.of());
    var fromApp = new IpPermission("tcp", 5432, 5432, List.of(), List.of(), List.of(new IpPermission.GroupRef(app.groupId(), null, null, null)));
    service.authorize(A, Optional.of(db.groupId()), Optional.empty(), false, List.of(fromApp));
    assertCode(() -> service.delete(A, Optional.of(app.groupId()), Optional.empty()), "DependencyViolation");
    // Another account's group is invisible as a peer too.
    SecurityGroup other = service.create(B, "other", "b", Optional.empty(), Map.of());
    var fromOther = new IpPermission("-1", null, null, List.of(), List.of(), List.of(new IpPermission.GroupRef(other.groupId(), null, null, null)));
    assertCode(() -> service.authorize(A, Optional.of(db.groupId()), Optional.empty(), false, List.of(fromOther)), "InvalidGroup.NotFound");
    used.add(db.groupId());
    assertCode(() -> service.delete(A, Optional.empty(), Optional.of("db")), "DependencyViolation");
    used.clear();
    tags.put(A, db.groupId(), "security-group", Map.of("k", "v"));
    assertThat(service.delete(A, Optional.empty(), Optional.of("db"))).isEqualTo(db.groupId());
    assertThat(tags.tagsOf(A, db.groupId())).isEmpty();
    assertThat(service.delete(A, Optional.of(app.groupId()), Optional.empty())).isEqualTo(app.groupId());
    assertCode(() -> service.delete(A, Optional.of(app.groupId()), Optional.empty()), "InvalidGroup.NotFound");
    // The name is free again.
    assertThat(service.create(A, "app", "again", Optional.empty(), Map.of()).groupName()).isEqualTo("app");
  }

  @Test
  void concurrentAuthorizesLoseNoRule() throws Exception {
    SecurityGroup g = service.create(A, "busy", "busy", Optional.empty(), Map.of());
    int threads = 8;
    int perThread = 6;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            var p = new IpPermission("tcp", base + i, base + i, List.of(new IpPermission.Range("10.0.0.0/8", null)), List.of(), List.of());
            service.authorize(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(p));
          }
        }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(service.findById(A, g.groupId()).orElseThrow().ingress()).hasSize(threads * perThread);
  }

  @Test
  void aRuleChangeTheFirewallsCouldNotFollowIsRefusedBeforeAnythingChanges() {
    SecurityGroup g = service.create(A, "web", "web", Optional.empty(), Map.of());
    var http = new IpPermission("tcp", 80, 80, List.of(new IpPermission.Range("0.0.0.0/0", null)), List.of(), List.of());
    service.authorize(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(http));
    List<String> told = new java.util.ArrayList<>();
    SecurityGroupService follower = service.withRuleChanges(new SecurityGroupService.RuleChanges() {
      @Override
      public void changed(String accountId, String groupId) {
        told.add(groupId);
      }

      @Override
      public void admit(String accountId, String groupId) {
        throw new IllegalStateException("not the lease holder");
      }
    });
    var ssh = new IpPermission("tcp", 22, 22, List.of(new IpPermission.Range("0.0.0.0/0", null)), List.of(), List.of());

    assertThatThrownBy(() -> follower.authorize(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(ssh)))
        .hasMessage("not the lease holder");
    assertThatThrownBy(() -> follower.revoke(A, Optional.of(g.groupId()), Optional.empty(), false, List.of(http), List.of()))
        .hasMessage("not the lease holder");
    // A revoke stored without reaching the hosts would leave port 80 open while the API said closed.
    assertThat(service.findById(A, g.groupId()).orElseThrow().ingress()).extracting(SecurityGroupRule::fromPort).containsExactly(80);
    assertThat(told).isEmpty();
  }

  static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
