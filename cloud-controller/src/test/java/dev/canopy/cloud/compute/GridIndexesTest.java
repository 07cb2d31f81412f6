package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.IndexedAttributes;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.IndexCondition;
import dev.canopy.cloud.grid.IndexRange;
import dev.canopy.cloud.grid.LaunchKeys;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.tags.ResourceTags;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grid's indexes ({@code grid.GridIndexes}) against a real Hazelcast member: an indexed lookup
 * answers exactly what a scan of the records answers (plain and fenced maps, instances and tags,
 * launch-key ranges of the sorted index),
 * follows every write, and is whole again after the member restarts and loads the durable store.
 */
class GridIndexesTest {

  private static final List<String> OWNERS = List.of("111111111111", "222222222222", "333333333333");
  private static final List<String> IMAGES = List.of("ami-0000000000000000a", "ami-0000000000000000b");

  @TempDir Path dir;

  @Test
  void instanceAndTagLookupsMatchAScanAndFollowWritesAndARestart() {
    String cluster = "indexes-" + System.nanoTime();
    List<Instance> fleet = fleet(300, 7);
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      try (Grid grid = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
        Table<Instance> table = grid.map(IndexedAttributes.INSTANCES_MAP, Instance.class);
        fleet.forEach(i -> table.put(i.instanceId(), i));
        assertLookupsMatchScan(table);
        // Writes move records between index entries: every one must be followed.
        fleet.stream().limit(50).forEach(i -> table.put(i.instanceId(), with(i, InstanceState.STOPPED)));
        fleet.stream().skip(50).limit(20).forEach(i -> table.remove(i.instanceId()));
        assertLookupsMatchScan(table);
        assertTagLookupsMatchScan(GridTagStore.onGrid(grid));
        assertThat(grid.map(IndexedAttributes.TAGS_MAP, ResourceTags.class).keysWhere(List.of(
            new IndexCondition(IndexedAttributes.TAG_KEYS, Set.of("tier"))))).as("answered by the index, not a scan").isPresent();
      }
      try (Grid restarted = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
        Table<Instance> table = restarted.map(IndexedAttributes.INSTANCES_MAP, Instance.class);
        assertThat(lookup(table, List.of(owner(OWNERS.get(0))))).as("rebuilt from the store").isNotEmpty();
        assertLookupsMatchScan(table);
        assertThat(GridTagStore.onGrid(restarted).resourcesWithKey(OWNERS.get(1), "tier")).as("tag keys rebuilt").isNotEmpty();
      }
    }
  }

  @Test
  void fencedInstanceRecordsAreIndexedInsideTheirEnvelope() {
    try (LocalStore store = LocalStore.open(dir.resolve("store"));
        Grid grid = Grid.startStandalone("fenced-" + System.nanoTime(), "127.0.0.1", 5701, store)) {
      Table<Instance> table = FencedTable.open(grid, IndexedAttributes.INSTANCES_MAP, Instance.class, () -> 3);
      fleet(120, 11).forEach(i -> table.put(i.instanceId(), i));
      assertLookupsMatchScan(table);
      Set<String> ids = table.values(i -> true).stream().limit(10).map(Instance::instanceId).collect(Collectors.toSet());
      assertThat(table.getAll(ids).keySet()).isEqualTo(ids);
    }
  }

  /** Tag keys by index and by scan, per account: the same resources. */
  private static void assertTagLookupsMatchScan(GridTagStore indexed) {
    GridTagStore scanned = new GridTagStore(new InMemoryTable<ResourceTags>());
    SplittableRandom random = new SplittableRandom(5);
    for (int n = 0; n < 200; n++) {
      String owner = OWNERS.get(random.nextInt(OWNERS.size()));
      String id = String.format("i-%017x", n);
      Map<String, String> tags = random.nextBoolean() ? Map.of("tier", random.nextBoolean() ? "db" : "web") : Map.of("Name", "n" + n);
      indexed.put(owner, id, "instance", tags);
      scanned.put(owner, id, "instance", tags);
    }
    indexed.remove(OWNERS.get(0), "i-00000000000000000", List.of("tier", "Name"));
    scanned.remove(OWNERS.get(0), "i-00000000000000000", List.of("tier", "Name"));
    for (String owner : OWNERS) {
      for (String key : List.of("tier", "Name", "absent")) {
        assertThat(indexed.resourcesWithKey(owner, key)).as(owner + " " + key).isEqualTo(scanned.resourcesWithKey(owner, key));
      }
    }
    assertThat(indexed.resourcesWithKey(OWNERS.get(0), "tier")).isNotEmpty();
    List<String> someIds = List.of("i-00000000000000001", "i-00000000000000002", "i-00000000000000003");
    assertThat(indexed.tagsOfEach(OWNERS.get(1), someIds)).isEqualTo(scanned.tagsOfEach(OWNERS.get(1), someIds));
  }

  /**
   * Launch-key ranges by the sorted index and by scan: the same records, and never another
   * account's, whether the range is an owner's whole span or a window between two of its keys.
   */
  private static void assertRangesMatchScan(Table<Instance> table) {
    List<Instance> all = table.values(i -> true);
    for (String owner : OWNERS) {
      List<String> keys = all.stream().filter(i -> i.ownerId().equals(owner))
          .map(i -> LaunchKeys.of(owner, PageCursor.sortKey(i))).sorted().toList();
      List<IndexRange> ranges = new java.util.ArrayList<>(List.of(
          new IndexRange(IndexedAttributes.LAUNCH_KEY, LaunchKeys.ownerStart(owner), LaunchKeys.ownerEnd(owner))));
      if (keys.size() > 20) {
        ranges.add(new IndexRange(IndexedAttributes.LAUNCH_KEY, keys.get(3), keys.get(17)));
        ranges.add(new IndexRange(IndexedAttributes.LAUNCH_KEY, keys.get(keys.size() - 5), LaunchKeys.ownerEnd(owner)));
      }
      for (IndexRange range : ranges) {
        Set<String> expected = all.stream()
            .filter(i -> i.ownerId().equals(owner) && range.contains(LaunchKeys.of(owner, PageCursor.sortKey(i))))
            .map(Instance::instanceId).collect(Collectors.toSet());
        Map<String, Instance> found = table.valuesInRange(range).orElseThrow(() -> new AssertionError("no sorted index on launch keys"));
        assertThat(found.keySet()).as(owner + " " + range).isEqualTo(expected);
        assertThat(found.values()).as("records, not just keys").allMatch(i -> i.ownerId().equals(owner));
      }
    }
  }

  /** Every combination the query uses, by index and by scan: the same keys. */
  private static void assertLookupsMatchScan(Table<Instance> table) {
    assertRangesMatchScan(table);
    List<Instance> all = table.values(i -> true);
    for (String owner : OWNERS) {
      for (Set<InstanceState> states : List.of(Set.of(InstanceState.RUNNING), Set.of(InstanceState.STOPPED, InstanceState.TERMINATED))) {
        for (String image : IMAGES) {
          List<IndexCondition> conditions = List.of(owner(owner), new IndexCondition(IndexedAttributes.STATE,
              states.stream().map(Enum::name).collect(Collectors.toSet())), new IndexCondition(IndexedAttributes.IMAGE_ID, Set.of(image)));
          Set<String> expected = all.stream()
              .filter(i -> i.ownerId().equals(owner) && states.contains(i.state()) && i.imageId().equals(image))
              .map(Instance::instanceId).collect(Collectors.toSet());
          assertThat(lookup(table, conditions)).as(owner + " " + states + " " + image).isEqualTo(expected);
        }
      }
      assertThat(lookup(table, List.of(owner(owner))))
          .isEqualTo(all.stream().filter(i -> i.ownerId().equals(owner)).map(Instance::instanceId).collect(Collectors.toSet()));
    }
  }

  private static Set<String> lookup(Table<Instance> table, List<IndexCondition> conditions) {
    return table.keysWhere(conditions).orElseThrow(() -> new AssertionError("the grid table has no index for " + conditions));
  }

  private static IndexCondition owner(String accountId) {
    return new IndexCondition(IndexedAttributes.OWNER_ID, Set.of(accountId));
  }

  private static List<Instance> fleet(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    InstanceState[] states = {InstanceState.PENDING, InstanceState.RUNNING, InstanceState.STOPPED, InstanceState.TERMINATED};
    return java.util.stream.IntStream.range(0, size).mapToObj(n -> new Instance(String.format("i-%017x", n), "r-0000000000000000a",
        OWNERS.get(random.nextInt(OWNERS.size())), IMAGES.get(random.nextInt(IMAGES.size())), "t3.micro",
        states[random.nextInt(states.length)], null, "", null, List.of(), "canopy-1a", "nd-1", 1, null, null,
        Instant.parse("2026-01-01T00:00:00Z").plusMillis(n * 1_001L), null, null, 0, null, null, null, false, null)).toList();
  }

  private static Instance with(Instance i, InstanceState state) {
    return new Instance(i.instanceId(), i.reservationId(), i.ownerId(), i.imageId(), i.instanceType(), state, null, "", null, List.of(),
        i.zone(), i.nodeId(), i.epoch(), null, null, i.launchTime(), null, null, 0, null, null, null, false, null);
  }
}
