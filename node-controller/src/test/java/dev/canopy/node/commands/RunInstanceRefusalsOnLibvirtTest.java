package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.command;
import static dev.canopy.node.commands.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.hypervisor.BoundedHypervisor;
import dev.canopy.node.hypervisor.ForwardingHypervisor;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a node refuses to launch, and says why in the ack, before it touches libvirt, the disk or
 * the network; and a hypervisor too busy to take another call.
 */
class RunInstanceRefusalsOnLibvirtTest extends NodeOnTestDriverTest {

  private static InstanceSpec with(InstanceSpec s, UnaryOperator<ObjectNode> change) {
    ObjectNode json = Fixtures.JSON.valueToTree(s);
    try {
      return Fixtures.JSON.treeToValue(change.apply(json), InstanceSpec.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static java.util.stream.Stream<Arguments> badSpecs() {
    return java.util.stream.Stream.of(
        Arguments.of("vcpus", (UnaryOperator<ObjectNode>) j -> j.put("vcpus", 0)),
        Arguments.of("vcpus", (UnaryOperator<ObjectNode>) j -> j.put("vcpus", 1025)),
        Arguments.of("memoryMib", (UnaryOperator<ObjectNode>) j -> j.put("memoryMib", 16 * 1024 * 1024 + 1)),
        Arguments.of("rootDiskGib", (UnaryOperator<ObjectNode>) j -> j.put("rootDiskGib", 0)),
        Arguments.of("rootDiskGib", (UnaryOperator<ObjectNode>) j -> j.put("rootDiskGib", 64 * 1024 + 1)),
        Arguments.of("accountId", (UnaryOperator<ObjectNode>) j -> j.put("accountId", " ")),
        Arguments.of("accountId", (UnaryOperator<ObjectNode>) j -> j.putNull("accountId")),
        Arguments.of("macAddress", (UnaryOperator<ObjectNode>) j -> j.put("macAddress", "52:54:00:AB:CD:EF")),
        Arguments.of("macAddress", (UnaryOperator<ObjectNode>) j -> j.put("macAddress", "53:54:00:ab:cd:ef")),
        Arguments.of("macAddress", (UnaryOperator<ObjectNode>) j -> j.remove("macAddress") == null ? j : j));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("badSpecs")
  void aSpecOutsideTheNodesBoundsIsRefusedNamingTheFieldAndTouchesNothing(String field, UnaryOperator<ObjectNode> change)
      throws Exception {
    String id = TestDriver.instanceId();

    Ack ack = node.dispatch(run(with(NodeOnTestDriver.spec(id), change), 1));

    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("InvalidPayload");
    assertThat(ack.message()).contains(field);
    assertThat(TestDriver.exists(virsh, id)).isFalse();
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.files.dir(id)).doesNotExist();
    assertThat(node.filters.filter("canopy-" + id)).isEmpty();
  }

  @Test
  void anInstanceIdThatCouldNameAnotherFileIsRefused() {
    for (String bad : new String[] {"i-123", "I-0123456789ABCDEF0", "i-0123456789abcdef0/../../etc", "test"}) {
      Ack ack = node.dispatch(run(with(NodeOnTestDriver.spec(TestDriver.instanceId()), j -> j.put("instanceId", bad)), 1));
      assertThat(ack.error()).as(bad).isEqualTo("InvalidPayload");
    }
    assertThat(dataDir.resolve("instances")).doesNotExist();
    assertThat(node.compute.inventory().domains()).isEmpty();
  }

  @Test
  void aPayloadThatIsNotASpecIsRefusedWithJacksonsReasonNotAStackTrace() {
    ObjectNode payload = Fixtures.JSON.createObjectNode().put("instanceId", TestDriver.instanceId()).put("vcpus", "many");

    Ack ack = node.dispatch(command(CommandTypes.RUN_INSTANCE, 1, payload));

    assertThat(ack.error()).isEqualTo("InvalidPayload");
    assertThat(ack.message()).startsWith("payload is not an instance spec").doesNotContain("\tat ");
  }

  @Test
  void aHypervisorWithEveryThreadAndQueueSlotTakenAnswersBusyAndRecovers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean wedged = new AtomicBoolean();
    try (NodeOnTestDriver busy = NodeOnTestDriver.open("node-busy", dataDir.resolve("busy"), node.network, null,
        hv -> BoundedHypervisor.wrap(new ForwardingHypervisor(hv) {
          @Override
          public Optional<DomainSummary> find(String name) {
            if (wedged.get()) {
              TestDriver.awaitLikeANativeCall(release);
            }
            return super.find(name);
          }
        }, new HypervisorSettings(TestDriver.URI, Duration.ofMillis(200), 1, 1)))) {
      wedged.set(true);
      String id = TestDriver.instanceId();

      Ack stuck = busy.dispatch(run(NodeOnTestDriver.spec(id), 1)); // holds the only thread
      Ack queued = busy.dispatch(run(NodeOnTestDriver.spec(id), 1)); // holds the only queue slot
      Ack refused = busy.dispatch(run(NodeOnTestDriver.spec(id), 1));

      assertThat(stuck.error()).isEqualTo("Timeout");
      assertThat(queued.error()).isEqualTo("Timeout");
      assertThat(refused.error()).isEqualTo("HypervisorBusy");
      assertThat(refused.message()).isEqualTo("find: too many hypervisor calls waiting (1 queued)");

      wedged.set(false);
      release.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> busy.dispatch(run(NodeOnTestDriver.spec(id), 1)).ok());
      assertThat(TestDriver.exists(virsh, id)).isTrue();
    }
  }
}
