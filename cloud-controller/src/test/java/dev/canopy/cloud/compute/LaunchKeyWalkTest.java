package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.query.Filter;
import dev.canopy.cloud.grid.ForwardingTable;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.IndexRange;
import dev.canopy.cloud.grid.Table;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeInstances over a real grid member, where a listing without index-narrowed filters walks
 * the sorted launch-key index a range at a time ({@code LaunchWindows}): pages in launch order while
 * instances are launched (unknown to this controller's guess of where ranges end), stopped,
 * terminated and purged between pages; filters the index cannot use; and never another account's
 * instance. The in-memory twin of the walk is {@link InstanceWalkTest}.
 */
class LaunchKeyWalkTest {

  private static final int PAGE = 7;
  private static final int PAGES_MAX = 300;

  @TempDir Path dir;
  private LocalStore store;
  private Grid grid;
  private final AtomicInteger rangeQueries = new AtomicInteger();
  private ComputeTestSupport t;
  private ComputeFixture f;

  @BeforeEach
  void start() {
    store = LocalStore.open(dir.resolve("store"));
    grid = Grid.startStandalone("walk-" + System.nanoTime(), "127.0.0.1", 5701, store);
    t = new ComputeTestSupport(new ComputeFixture.Tables() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> Table<T> table(String name, Class<T> type) {
        Table<T> table = grid.map(name, type);
        return name.equals(InstanceService.INSTANCES_MAP) ? (Table<T>) counted((Table<Instance>) table) : table;
      }
    });
    f = t.f;
    f.addNode("node-big", 1000, 1_000_000, 100_000);
  }

  @AfterEach
  void stop() {
    grid.close();
    store.close();
  }

  @Test
  void pagesKeepLaunchOrderWhileInstancesComeGoAndArePurged() {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<String> lasting = launch(30, random);
      List<String> alive = new ArrayList<>(lasting);
      Set<String> changed = new HashSet<>();
      List<String> shown = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        InstancePage page = f.instances.describe(ALICE, List.of(), List.of(), PAGE, token);
        assertThat(page.instances()).as("a full page unless it is the last").hasSize(page.nextToken() == null ? page.instances().size() : PAGE);
        page.instances().forEach(i -> shown.add(i.instanceId()));
        token = page.nextToken();
        pages++;
        alive.addAll(launch(random.nextInt(3), random));
        f.instances.run(BOB, t.launch(2, 2, null));
        t.stopOrTerminateSome(random, alive, changed);
        if (random.nextInt(4) == 0) {
          // Terminated instances past their hour are purged: keys this controller saw are gone.
          t.later(2 * 3600);
          f.instances.purgeExpired();
          shown.removeIf(id -> !f.instances.exists(ALICE, id));
          lasting.removeIf(id -> !f.instances.exists(ALICE, id));
        }
      } while (token != null && pages < PAGES_MAX);

      assertThat(token).as("seed " + seed + ": the walk ends").isNull();
      assertThat(shown).as("no instance twice").doesNotHaveDuplicates();
      assertThat(shown).as("every instance that lasted through the walk").containsAll(lasting);
      assertThat(sortKeys(shown)).as("launch order across pages").isSorted();
      assertThat(shown).as("Alice's walk sees only Alice's").allMatch(id -> f.instances.exists(ALICE, id));
      List<Instance> whole = f.instances.describe(ALICE, List.of(), List.of(), null, null).instances();
      assertThat(whole).as("one answer without MaxResults: every visible instance of Alice's, in order")
          .hasSize((int) f.instances.everyInstance(i -> i.ownerId().equals(ALICE)).size())
          .allMatch(i -> i.ownerId().equals(ALICE));
      assertThat(sortKeys(whole.stream().map(Instance::instanceId).toList())).isSorted();
    }
    assertThat(rangeQueries.get()).as("answered through the sorted index").isGreaterThan(PAGES_MAX / 10);
  }

  @Test
  void filtersTheIndexCannotUseAnswerAsAScanWould() {
    SplittableRandom random = new SplittableRandom(9);
    List<String> fleet = launch(60, random);
    Set<String> expected = new HashSet<>();
    for (String id : fleet) {
      if (random.nextInt(4) == 0) {
        f.tags.put(ALICE, id, "instance", Map.of("tier", "db"));
        expected.add(id);
      }
    }
    f.instances.run(BOB, t.launch(5, 5, null)).instances()
        .forEach(i -> f.tags.put(BOB, i.instanceId(), "instance", Map.of("tier", "db")));
    // tag-value and instance-type leave the index nothing to narrow: sparse matches over several ranges.
    List<Filter> filters = List.of(new Filter("tag-value", List.of("d*")), new Filter("instance-type", List.of("t3.micro")));
    List<String> shown = new ArrayList<>();
    String token = null;
    int before = rangeQueries.get();
    do {
      InstancePage page = f.instances.describe(ALICE, List.of(), filters, 5, token);
      page.instances().forEach(i -> shown.add(i.instanceId()));
      token = page.nextToken();
    } while (token != null && shown.size() <= fleet.size());
    assertThat(shown).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sortKeys(shown)).isSorted();
    assertThat(rangeQueries.get()).as("through the sorted index").isGreaterThan(before);
  }

  private Table<Instance> counted(Table<Instance> table) {
    return new ForwardingTable<>() {
      @Override
      public Table<Instance> delegate() {
        return table;
      }

      @Override
      public Optional<Map<String, Instance>> valuesInRange(IndexRange range) {
        rangeQueries.incrementAndGet();
        return table.valuesInRange(range);
      }
    };
  }

  /** Launches a second or two apart, some as reservations of several (ordered by launch index). */
  private List<String> launch(int count, SplittableRandom random) {
    List<String> ids = new ArrayList<>();
    while (ids.size() < count) {
      t.later(random.nextInt(2));
      int n = Math.min(count - ids.size(), 1 + random.nextInt(3));
      f.instances.run(ALICE, t.launch(n, n, null)).instances().forEach(i -> ids.add(i.instanceId()));
    }
    return ids;
  }

  private List<String> sortKeys(List<String> ids) {
    Map<String, Instance> byId = new java.util.HashMap<>();
    f.instances.everyInstance(i -> true).forEach(i -> byId.put(i.instanceId(), i));
    return ids.stream().map(id -> PageCursor.sortKey(byId.get(id))).toList();
  }
}
