package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.query.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DescribeInstances' and DescribeInstanceStatus' filters: a filter name the action does not
 * know is InvalidParameterValue whatever the account holds (a typo must not read as "no
 * instances"), and every documented name is accepted.
 */
class InstanceFiltersTest {

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  private static List<Filter> filter(String name, String... values) {
    return List.of(new Filter(name, List.of(values)));
  }

  @Test
  void anUnknownFilterIsRefusedEvenWhenTheAccountHasNoInstances() {
    assertError(() -> f.instances.describe(BOB, List.of(), filter("instance-state", "running"), null, null), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describeStatus(BOB, List.of(), true, filter("system-status", "ok"), null, null), 400,
        "InvalidParameterValue");
  }

  @Test
  void anUnknownFilterIsRefusedEvenAfterAnotherFilterRejectedEveryInstance() {
    t.runOne();
    List<Filter> filters = List.of(new Filter("instance-state-name", List.of("stopped")), new Filter("colour", List.of("blue")));
    assertError(() -> f.instances.describe(ALICE, List.of(), filters, null, null), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describeStatus(ALICE, List.of(), true, filters, null, null), 400, "InvalidParameterValue");
  }

  @Test
  void everyDocumentedDescribeInstancesFilterIsAccepted() {
    Instance i = t.runOne();
    List<String> names = List.of("instance-id", "instance-state-name", "instance-state-code", "tag-key", "tag-value", "tag:Name",
        "image-id", "instance-type", "key-name", "availability-zone", "private-ip-address", "reservation-id", "owner-id",
        "client-token", "instance.group-id", "group-id", "instance.group-name", "group-name");
    for (String name : names) {
      assertThat(f.instances.describe(ALICE, List.of(), filter(name, "*"), null, null).instances()).as(name)
          .extracting(Instance::instanceId).isSubsetOf(i.instanceId());
    }
  }

  @Test
  void everyDocumentedDescribeInstanceStatusFilterIsAccepted() {
    Instance i = t.runOne();
    List<String> names = List.of("availability-zone", "instance-state-name", "instance-state-code", "system-status.status",
        "system-status.reachability", "instance-status.status", "instance-status.reachability");
    for (String name : names) {
      assertThat(f.instances.describeStatus(ALICE, List.of(), true, filter(name, "*"), null, null).statuses()).as(name)
          .extracting(InstanceStatus::instanceId).containsExactly(i.instanceId());
    }
  }

  @Test
  void aFilterWithoutAValueMatchesNothingItLacks() {
    Instance i = t.runOne();
    assertThat(f.instances.describe(ALICE, List.of(), filter("client-token", "*"), null, null).instances())
        .as("no client token: no value for '*' to match").isEmpty();
    assertThat(f.instances.describe(ALICE, List.of(), filter("key-name", "k1"), null, null).instances()).extracting(Instance::instanceId)
        .containsExactly(i.instanceId());
  }

  /**
   * The filters the grid's indexes narrow (state by name or code, image, tag key) give what a check
   * of every record gives: wildcards included, and never another account's instances.
   */
  @Test
  void indexedFiltersKeepTheirMeaningAndTheAccountsApart() {
    f.addNode("node-2", 64, 65536, 1000);
    Instance stopped = t.runOne();
    Instance running = t.runOne();
    Instance bobs = f.instances.run(BOB, t.launch(1, 1, null)).instances().get(0);
    f.instances.stop(ALICE, List.of(stopped.instanceId()), false);
    f.tags.put(ALICE, stopped.instanceId(), "instance", java.util.Map.of("tier", "db"));
    f.tags.put(BOB, bobs.instanceId(), "instance", java.util.Map.of("tier", "db"));
    String image = f.systemImage.imageId();

    assertThat(ids(ALICE, filter("instance-state-name", "stopped"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("instance-state-name", "stop*"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("instance-state-code", "80"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("instance-state-code", "1?"))).containsExactly(running.instanceId());
    assertThat(ids(ALICE, filter("instance-state-name", "no-such-state"))).isEmpty();
    assertThat(ids(ALICE, filter("image-id", image))).containsExactlyInAnyOrder(stopped.instanceId(), running.instanceId());
    assertThat(ids(ALICE, filter("image-id", "ami-00000000000000000"))).isEmpty();
    assertThat(ids(ALICE, filter("image-id", image.substring(0, 6) + "*"))).hasSize(2);
    assertThat(ids(ALICE, filter("tag:tier", "db"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("tag:tier", "web"))).isEmpty();
    assertThat(ids(ALICE, filter("tag-key", "tier"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("tag-key", "ti*"))).containsExactly(stopped.instanceId());
    assertThat(ids(ALICE, filter("tag:Name", "web"))).as("RunInstances' own tags").hasSize(2);
    assertThat(ids(ALICE, List.of(new Filter("tag:tier", List.of("db")), new Filter("instance-state-name", List.of("running")))))
        .as("AND across filters").isEmpty();
    assertThat(ids(BOB, filter("tag:tier", "db"))).containsExactly(bobs.instanceId());
    assertThat(ids(BOB, filter("instance-state-name", "stopped"))).isEmpty();
  }

  private List<String> ids(String account, List<Filter> filters) {
    return f.instances.describe(account, List.of(), filters, null, null).instances().stream().map(Instance::instanceId).toList();
  }

  @Test
  void statusOfAnImpairedNodesRunningInstanceIsImpairedAndInsufficientData() {
    Instance i = t.runOne();
    f.instances.nodeAvailability("node-1", false);
    InstanceStatus s = f.instances.describeStatus(ALICE, List.of(i.instanceId()), false, List.of(), null, null).statuses().get(0);
    assertThat(s.system()).isEqualTo(InstanceStatus.Health.IMPAIRED);
    assertThat(s.instance()).isEqualTo(InstanceStatus.Health.INSUFFICIENT_DATA);
    assertThat(f.instances.describeStatus(ALICE, List.of(), false, filter("system-status.status", "impaired"), null, null).statuses())
        .hasSize(1);
    assertThat(f.instances.describeStatus(ALICE, List.of(), false, filter("instance-status.reachability", "failed"), null, null)
        .statuses()).as("unknown is not failed").isEmpty();
  }

  @Test
  void statusLeavesOutStoppedInstancesUnlessAllAreAskedFor() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    assertThat(f.instances.describeStatus(ALICE, List.of(i.instanceId()), false, List.of(), null, null).statuses())
        .as("named but not running: left out, not an error").isEmpty();
    InstanceStatus s = f.instances.describeStatus(ALICE, List.of(i.instanceId()), true, List.of(), null, null).statuses().get(0);
    assertThat(s.system()).isEqualTo(InstanceStatus.Health.NOT_APPLICABLE);
    assertThat(s.instance()).isEqualTo(InstanceStatus.Health.NOT_APPLICABLE);
    assertError(() -> f.instances.describeStatus(ALICE, List.of(i.instanceId()), true, List.of(), 5, null), 400,
        "InvalidParameterCombination");
  }
}
