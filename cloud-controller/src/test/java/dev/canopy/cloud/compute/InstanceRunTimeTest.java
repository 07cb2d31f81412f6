package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.instancehours.InstanceHours;
import dev.canopy.cloud.instancehours.RunInterval;
import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.node.protocol.DomainReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An instance's billable run time recorded from its real lifecycle (the instance service with
 * nodes that ack at once): each interval in running with its type and exact instants, kept after
 * the instance record is purged.
 */
class InstanceRunTimeTest {

  private static final String ALICE = "111111111111";
  private static final Instant T0 = Instant.parse("2026-01-31T23:10:00.400Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final InMemoryTables tables = new InMemoryTables();
  private final ComputeFixture f = new ComputeFixture(tables, now::get, 42);
  private final RunTimes runTimes = new RunTimes(tables.table(RunTimes.MAP, RunTime.class));

  InstanceRunTimeTest() {
    f.addNode("node-1", 4, 4096, 100);
  }

  private Instance runMicro() {
    return f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, "k1", List.of(), List.of(),
        null, null, null, Map.of("team", "web"))).instances().get(0);
  }

  private Instant later(Duration d) {
    now.set(now.get().plus(d));
    return now.get();
  }

  private List<RunInterval> intervalsOf(String instanceId) {
    return runTimes.of(instanceId).orElseThrow().intervals();
  }

  @Test
  void runStopResizeStartTerminateRecordsEachIntervalAndAPurgeLeavesThem() {
    String id = runMicro().instanceId();
    assertThat(intervalsOf(id)).containsExactly(RunInterval.openedAt("t3.micro", T0));
    Instant stopped = later(Duration.ofMinutes(30));
    f.instances.stop(ALICE, List.of(id), false);
    f.instances.modifyAttribute(ALICE, id, new AttributeChange.InstanceType("t3.small"));
    Instant started = later(Duration.ofHours(1));
    f.instances.start(ALICE, List.of(id));
    Instant terminated = later(Duration.ofSeconds(95));
    f.instances.terminate(ALICE, List.of(id));

    List<RunInterval> expected = List.of(new RunInterval("t3.micro", T0, stopped), new RunInterval("t3.small", started, terminated));
    assertThat(intervalsOf(id)).containsExactlyElementsOf(expected);

    later(Duration.ofHours(2));
    assertThat(f.instances.purgeExpired()).isEqualTo(1);
    assertThat(f.instances.exists(ALICE, id)).isFalse();
    assertThat(intervalsOf(id)).as("kept after the purge").containsExactlyElementsOf(expected);

    // 23:10:00.4 to 23:40:00.4 as t3.micro; 00:40:00.4 to 00:41:35.4 as t3.small, across the month's end.
    assertThat(new InstanceHours(runTimes, f.tags).hours(Instant.parse("2026-01-31T00:00:00Z"),
        Instant.parse("2026-02-02T00:00:00Z"), now.get())).containsExactly(
        new HourlyUsage(ALICE, id, UsageType.INSTANCE_SECONDS, "t3.micro", Instant.parse("2026-01-31T23:00:00Z"), 1800,
            Map.of("team", "web")),
        new HourlyUsage(ALICE, id, UsageType.INSTANCE_SECONDS, "t3.small", Instant.parse("2026-02-01T00:00:00Z"), 95,
            Map.of("team", "web")));
  }

  @Test
  void aGuestThatShutsItselfDownLeavesRunningWhenTheHeartbeatSaysSo() {
    String id = runMicro().instanceId();
    Instant shutoff = later(Duration.ofSeconds(61));
    f.instances.reconcile("node-1", List.of(new DomainReport(id, "shutoff")), now.get());
    assertThat(f.instances.describeAttributes(ALICE, id).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(intervalsOf(id)).containsExactly(new RunInterval("t3.micro", T0, shutoff));
  }

  @Test
  void aStopTheNodeRefusesReturnsToRunningAsANewInterval() {
    String id = runMicro().instanceId();
    f.commands.answer(FakeNodeCommands::refused);
    Instant refused = later(Duration.ofSeconds(10));
    f.instances.stop(ALICE, List.of(id), false);
    assertThat(f.instances.describeAttributes(ALICE, id).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(intervalsOf(id)).containsExactly(new RunInterval("t3.micro", T0, refused), RunInterval.openedAt("t3.micro", refused));
  }

  @Test
  void runTimeWritesThatFailAfterTheInstanceMovedAreMadeByTheNextSweepAtTheSameInstants() {
    InMemoryTable<RunTime> stored = (InMemoryTable<RunTime>) tables.table(RunTimes.MAP, RunTime.class);
    stored.failWrites(true);
    String id = runMicro().instanceId();
    Instant stopped = later(Duration.ofMinutes(7));
    f.instances.stop(ALICE, List.of(id), false);
    assertThat(f.instances.describeAttributes(ALICE, id).state()).as("the user's requests succeeded").isEqualTo(InstanceState.STOPPED);
    assertThat(runTimes.of(id)).isEmpty();

    stored.failWrites(false);
    later(Duration.ofMinutes(5));
    f.instances.purgeExpired();
    assertThat(intervalsOf(id)).containsExactly(new RunInterval("t3.micro", T0, stopped));
    f.instances.purgeExpired();
    assertThat(intervalsOf(id)).as("a second sweep changes nothing").containsExactly(new RunInterval("t3.micro", T0, stopped));
  }

  /** Records stored before run times existed have no lastRun: they must still compare equal to their re-encoding. */
  @Test
  void anInstanceThatNeverRanIsWrittenWithoutALastRun() throws Exception {
    f.commands.answer(c -> null);
    Instance pending = runMicro();
    ObjectMapper grid = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    assertThat(grid.readTree(grid.writeValueAsString(pending)).has("lastRun")).isFalse();
    assertThat(grid.readValue(grid.writeValueAsString(pending), Instance.class)).isEqualTo(pending);
  }

  /** An instance running since before run times were recorded bills from when the holder first notices it. */
  @Test
  void aRunningInstanceStoredBeforeRunTimesGetsAnIntervalFromTheNextSweep() throws Exception {
    String id = runMicro().instanceId();
    // As a Canopy without run times stored it: no lastRun in the record, nothing in the run times.
    ObjectMapper grid = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    Table<Instance> instances = tables.table(InstanceService.INSTANCES_MAP, Instance.class);
    var old = (ObjectNode) grid.valueToTree(instances.get(id).orElseThrow());
    old.remove("lastRun");
    instances.put(id, grid.treeToValue(old, Instance.class));
    tables.table(RunTimes.MAP, RunTime.class).remove(id);

    Instant noticed = later(Duration.ofMinutes(3));
    f.instances.purgeExpired();

    assertThat(intervalsOf(id)).containsExactly(RunInterval.openedAt("t3.micro", noticed));
    later(Duration.ofMinutes(1));
    f.instances.purgeExpired();
    assertThat(intervalsOf(id)).as("a second sweep changes nothing").containsExactly(RunInterval.openedAt("t3.micro", noticed));
  }
}
