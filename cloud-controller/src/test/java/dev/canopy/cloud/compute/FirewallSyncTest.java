package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.node.protocol.InstanceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Firewalls and image files reach the node with the run, and follow group and attribute changes. */
class FirewallSyncTest {

  private static final String ALICE = "111111111111";
  private static final String GROUP = "sg-00000000000000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T10:00:00Z"));
  /** The fake policy: each group's rules, as the security-group family would resolve them. */
  private final Map<String, List<FirewallRule>> rulesByGroup = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean referencing = new java.util.concurrent.atomic.AtomicBoolean();
  private ComputeFixture f;

  @BeforeEach
  void setUp() {
    FirewallPolicy policy = new FirewallPolicy() {
      @Override
      public Firewall firewallFor(String accountId, List<GroupRef> groups, boolean sourceDestCheck) {
        return new Firewall(groups.stream().flatMap(g -> rulesByGroup.getOrDefault(g.groupId(), List.of()).stream()).toList(),
            sourceDestCheck);
      }

      @Override
      public java.util.Set<String> groupsReferencing(String accountId, java.util.Set<String> groupIds) {
        return referencing.get() ? java.util.Set.of(GROUP) : java.util.Set.of();
      }
    };
    ImageObject disk = new ImageObject("http://s3/disk?sig", "ab".repeat(32), 16);
    f = new ComputeFixture(new InMemoryTables(), now::get, 7, LaunchQuota.NONE,
        catalog -> new GuestSetup((accountId, image) -> new ImageFiles(disk, null, null), policy));
    f.addNode("node-1", 8, 16384, 100);
  }

  private Instance launch() {
    return f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, null, List.of(GROUP), List.of(),
        null, null, null, Map.of(), InstanceAttributes.DEFAULTS)).instances().get(0);
  }

  @Test
  void theRunCarriesImageFilesAndTheGroupsFirewall() {
    rulesByGroup.put(GROUP, List.of(new FirewallRule("ingress", "tcp", 22, 22, "0.0.0.0/0")));
    launch();
    InstanceSpec spec = JSON.convertValue(f.commands.sent(CommandTypes.RUN_INSTANCE).get(0).command().payload(), InstanceSpec.class);
    assertThat(spec.image().disk().sha256()).isEqualTo("ab".repeat(32));
    assertThat(spec.firewall().rules()).containsExactly(new FirewallRule("ingress", "tcp", 22, 22, "0.0.0.0/0"));
    assertThat(spec.firewall().sourceDestCheck()).isTrue();
  }

  @Test
  void aRuleChangeUpdatesTheFirewallOfEveryLiveInstanceInTheGroupOnly() {
    Instance a = launch();
    Instance b = launch();
    f.instances.terminate(ALICE, List.of(b.instanceId()));
    rulesByGroup.put(GROUP, List.of(new FirewallRule("ingress", "tcp", 80, 80, "0.0.0.0/0")));
    f.instances.groupRulesChanged(ALICE, GROUP);
    f.instances.groupRulesChanged(ALICE, "sg-0000000000000000f");
    var updates = f.commands.sent(CommandTypes.UPDATE_FIREWALL);
    assertThat(updates).hasSize(1);
    assertThat(updates.get(0).command().payload().path("instanceId").asText()).isEqualTo(a.instanceId());
    assertThat(updates.get(0).command().payload().path("firewall").path("rules").get(0).path("fromPort").asInt()).isEqualTo(80);
  }

  @Test
  void aMemberComingOrGoingRefreshesTheFirewallsThatNameItsGroup() {
    referencing.set(true);
    f.commands.answer(c -> {
      var ack = FakeNodeCommands.ok(c);
      // The node reports the address it gave, as a real agent does.
      return c.type().equals(CommandTypes.RUN_INSTANCE)
          ? new dev.canopy.node.protocol.Ack(c.id(), true, null, null, c.epoch(),
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("privateIp", "10.211.0.9"))
          : ack;
    });
    Instance a = launch();
    int afterFirst = f.commands.sent(CommandTypes.UPDATE_FIREWALL).size();
    launch();
    assertThat(f.commands.sent(CommandTypes.UPDATE_FIREWALL).size()).as("the new member's peers hear of it").isGreaterThan(afterFirst);
    int beforeTerminate = f.commands.sent(CommandTypes.UPDATE_FIREWALL).size();
    f.instances.terminate(ALICE, List.of(a.instanceId()));
    f.instances.reconcile("node-1", List.of());
    assertThat(f.commands.sent(CommandTypes.UPDATE_FIREWALL).size()).as("and of its leaving").isGreaterThan(beforeTerminate);
  }

  @Test
  void turningTheSourceDestCheckOffReachesTheNode() {
    Instance a = launch();
    f.instances.modifyAttribute(ALICE, a.instanceId(), new AttributeChange.SourceDestCheck(false));
    var updates = f.commands.sent(CommandTypes.UPDATE_FIREWALL);
    assertThat(updates).isNotEmpty();
    assertThat(updates.get(updates.size() - 1).command().payload().path("firewall").path("sourceDestCheck").asBoolean(true)).isFalse();
  }
}
