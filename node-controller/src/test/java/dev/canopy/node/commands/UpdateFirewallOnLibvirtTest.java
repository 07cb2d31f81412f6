package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.NodeOnTestDriver.firewall;
import static dev.canopy.node.commands.NodeOnTestDriver.spec;
import static dev.canopy.node.hypervisor.TestDriver.all;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * updateFirewall on a node wired as for real guests (libvirt's test driver, its nwfilters kept
 * beside it): the filter an operator would find with virsh nwfilter-dumpxml.
 */
class UpdateFirewallOnLibvirtTest extends NodeOnTestDriverTest {

  private static final Firewall WEB = new Firewall(List.of(
      new FirewallRule("ingress", "tcp", 80, 443, "0.0.0.0/0"),
      new FirewallRule("ingress", "icmp", 8, -1, "10.0.0.0/8")), true);

  private Element filterOf(String id) {
    return TestDriver.parse(node.filters.filter("canopy-" + id).orElseThrow()).getDocumentElement();
  }


  @Test
  void anUpdateReplacesTheInstancesFilterWithTheNewRules() {
    String id = running();
    assertThat(all(filterOf(id), "tcp")).extracting(e -> e.getAttribute("dstportstart")).containsExactly("22");

    Ack ack = node.dispatch(firewall(id, WEB, 1));

    assertThat(ack.ok()).as(ack.message()).isTrue();
    assertThat(ack.result().get("state").asText()).isEqualTo("updated");
    Element filter = filterOf(id);
    assertThat(filter.getAttribute("name")).isEqualTo("canopy-" + id);
    assertThat(all(filter, "tcp")).singleElement().satisfies(tcp -> {
      assertThat(tcp.getAttribute("dstportstart")).isEqualTo("80");
      assertThat(tcp.getAttribute("dstportend")).isEqualTo("443");
      assertThat(tcp.getAttribute("state")).isEqualTo("NEW");
    });
    assertThat(all(filter, "icmp")).singleElement().satisfies(icmp -> {
      assertThat(icmp.getAttribute("type")).isEqualTo("8");
      assertThat(icmp.hasAttribute("code")).isFalse();
      assertThat(icmp.getAttribute("srcipaddr")).isEqualTo("10.0.0.0");
      assertThat(icmp.getAttribute("srcipmask")).isEqualTo("8");
    });
    assertThat(all(filter, "filterref")).extracting(e -> e.getAttribute("filter")).containsExactly("clean-traffic");
  }

  @Test
  void aStoppedInstancesFirewallIsUpdatedForWhenItStartsAgain() {
    String id = running();
    node.dispatch(forceStop(id, 1));

    Ack ack = node.dispatch(firewall(id, new Firewall(List.of(), false), 1));

    assertThat(ack.ok()).isTrue();
    assertThat(all(filterOf(id), "filterref")).as("source/destination check off: no anti-spoofing").isEmpty();
    assertThat(all(filterOf(id), "tcp")).isEmpty();
  }

  @Test
  void aFirewallTheHostCannotEnforceIsRefusedAndTheOldOneStays() {
    String id = running();
    String before = node.filters.filter("canopy-" + id).orElseThrow();

    Ack gre = node.dispatch(firewall(id, new Firewall(List.of(new FirewallRule("ingress", "gre", -1, -1, "0.0.0.0/0")), true), 1));
    Ack hostBits = node.dispatch(firewall(id, new Firewall(List.of(new FirewallRule("ingress", "tcp", 1, 2, "10.0.0.1/8")), true), 1));
    ObjectNode noFirewall = Fixtures.JSON.createObjectNode().put("instanceId", id);
    Ack missing = node.dispatch(Fixtures.command(CommandTypes.UPDATE_FIREWALL, 1, noFirewall));

    assertThat(gre.error()).isEqualTo("InvalidPayload");
    assertThat(gre.message()).contains("gre");
    assertThat(hostBits.error()).isEqualTo("InvalidPayload");
    assertThat(hostBits.message()).contains("10.0.0.1/8");
    assertThat(missing.error()).isEqualTo("InvalidPayload");
    assertThat(missing.message()).contains("payload.firewall");
    assertThat(node.filters.filter("canopy-" + id)).contains(before);
  }

  @Test
  void anUpdateForAnInstanceThisNodeDoesNotHaveLeavesNoFilterBehind() {
    String id = running();
    node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    String never = TestDriver.instanceId();

    // A group change the controller fanned out just before the instance was terminated arrives late.
    Ack late = node.dispatch(firewall(id, WEB, 1));
    Ack stranger = node.dispatch(firewall(never, WEB, 1));

    assertThat(late.error()).isEqualTo("NoSuchDomain");
    assertThat(stranger.error()).isEqualTo("NoSuchDomain");
    assertThat(node.filters.filterNames()).as("virsh nwfilter-list shows no leftovers")
        .doesNotContain("canopy-" + id, "canopy-" + never);
  }

  @Test
  void anUpdateRacingATerminateLeavesNoFilterBehind() throws Exception {
    String id = running();
    CountDownLatch updating = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    node.filters.holdNextDefine(updating, release);

    CompletableFuture<Ack> update = CompletableFuture.supplyAsync(() -> node.dispatch(firewall(id, WEB, 1)));
    assertThat(updating.await(10, TimeUnit.SECONDS)).isTrue();
    Thread[] terminator = new Thread[1];
    CompletableFuture<Ack> terminate = new CompletableFuture<>();
    terminator[0] = new Thread(() -> terminate.complete(node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1))));
    terminator[0].start();
    // The terminate either finishes or waits for the update it overlaps; then the update goes on.
    Awaitility.await().until(() -> terminate.isDone() || terminator[0].getState() == Thread.State.BLOCKED);
    release.countDown();

    assertThat(terminate.get(10, TimeUnit.SECONDS).ok()).isTrue();
    update.get(10, TimeUnit.SECONDS);
    assertThat(node.filters.filterNames()).doesNotContain("canopy-" + id);
    assertThat(node.hostsFile(id)).doesNotExist();
  }
}
