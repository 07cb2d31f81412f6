package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.query.Filter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging through DescribeInstances while the fleet changes between pages, as it does under a
 * client that pages a large account: seeded runs of launches, stops and terminations (and another
 * account's launches) between every page. Whatever happens, no instance is shown twice, pages
 * keep launch order, and every instance that existed throughout and matched throughout is shown.
 * Then the NextToken's checks: one altered, from another account or for another query is refused.
 */
class InstanceWalkTest {

  private static final int PAGE = 5;
  private static final int PAGES_MAX = 200;
  private static final int FLEET = 40;

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  InstanceWalkTest() {
    f.addNode("node-big", 1000, 1_000_000, 100_000);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyLastingInstanceIsShownOnceWhileOthersComeAndGo(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> lasting = launch(FLEET, random);
    Set<String> changed = new HashSet<>();
    List<String> alive = new ArrayList<>(lasting);
    List<String> shown = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      InstancePage page = f.instances.describe(ALICE, List.of(), List.of(), PAGE, token);
      page.instances().forEach(i -> shown.add(i.instanceId()));
      token = page.nextToken();
      pages++;
      // Between pages: new launches (for Alice and for Bob), terminations and stops of any instance.
      alive.addAll(launch(random.nextInt(3), random));
      f.instances.run(BOB, t.launch(1, 1, null));
      t.stopOrTerminateSome(random, alive, changed);
    } while (token != null && pages < PAGES_MAX);

    assertThat(token).as("the walk ends").isNull();
    assertThat(shown).as("no instance twice").doesNotHaveDuplicates();
    assertThat(shown).as("terminated and stopped instances stay listed: every one launched before the walk")
        .containsAll(lasting);
    assertThat(sortKeys(shown)).as("launch order across pages").isSorted();
    assertThat(f.instances.describe(BOB, List.of(), List.of(), null, null).instances())
        .as("Bob's walk sees only Bob's").allMatch(i -> i.ownerId().equals(BOB));
    assertThat(shown).as("Alice's walk sees only Alice's").allMatch(id -> f.instances.exists(ALICE, id));
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void aFilteredWalkShowsEveryInstanceThatMatchedThroughout(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> fleet = launch(FLEET, random);
    Set<String> tierDb = new LinkedHashSet<>();
    for (String id : fleet) {
      if (random.nextInt(3) == 0) {
        f.tags.put(ALICE, id, "instance", Map.of("tier", "db"));
        tierDb.add(id);
      }
    }
    List<Filter> filters = List.of(new Filter("instance-state-name", List.of("running")), new Filter("tag:tier", List.of("d?")),
        new Filter("image-id", List.of(f.systemImage.imageId())));
    Set<String> changed = new HashSet<>();
    List<String> shown = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      InstancePage page = f.instances.describe(ALICE, List.of(), filters, PAGE, token);
      page.instances().forEach(i -> shown.add(i.instanceId()));
      token = page.nextToken();
      pages++;
      String victim = fleet.get(random.nextInt(fleet.size()));
      if (changed.add(victim)) {
        f.instances.stop(ALICE, List.of(victim), false);
      }
      // A new tagged instance: launched later, it may only appear on a later page.
      String late = launch(1, random).get(0);
      f.tags.put(ALICE, late, "instance", Map.of("tier", "db"));
    } while (token != null && pages < PAGES_MAX);

    assertThat(shown).doesNotHaveDuplicates();
    Set<String> lastingMatches = new LinkedHashSet<>(tierDb);
    lastingMatches.removeAll(changed);
    assertThat(shown).containsAll(lastingMatches);
    assertThat(shown).as("only db instances").allMatch(id -> "db".equals(f.tags.tagsOf(ALICE, id).get("tier")));
    assertThat(sortKeys(shown)).isSorted();
  }

  @Test
  void aTokenAlteredOrUsedElsewhereIsInvalidParameterValue() {
    launch(12, new SplittableRandom(3));
    List<Filter> running = List.of(new Filter("instance-state-name", List.of("running")));
    String token = f.instances.describe(ALICE, List.of(), running, PAGE, null).nextToken();
    assertThat(f.instances.describe(ALICE, List.of(), running, PAGE, token).instances()).hasSize(PAGE);

    String text = new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
    // The cursor moved back to the start: a well-formed sort key with the old check.
    String rewound = text.replaceFirst("^\\d{20}", "0".repeat(20));
    assertError(() -> f.instances.describe(ALICE, List.of(), running, PAGE, encode(rewound)), 400, "InvalidParameterValue");
    String flipped = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    assertError(() -> f.instances.describe(ALICE, List.of(), running, PAGE, flipped), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describe(BOB, List.of(), running, PAGE, token), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describe(ALICE, List.of(), List.of(), PAGE, token), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describeStatus(ALICE, List.of(), true, running, PAGE, token), 400, "InvalidParameterValue");
    for (String garbage : List.of("", "!!!", "YWJj", encode("1|r-1|2|i-3|0000000000000000"))) {
      assertError(() -> f.instances.describe(ALICE, List.of(), running, PAGE, garbage), 400, "InvalidParameterValue");
    }
  }

  private static String encode(String text) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Launches one at a time, a second or two apart, some in the same second (then ordered by reservation). */
  private List<String> launch(int count, SplittableRandom random) {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      t.later(random.nextInt(2));
      ids.add(f.instances.run(ALICE, t.launch(1, 1, null)).instances().get(0).instanceId());
    }
    return ids;
  }

  private List<String> sortKeys(List<String> ids) {
    Map<String, Instance> byId = new java.util.HashMap<>();
    f.instances.everyInstance(i -> true).forEach(i -> byId.put(i.instanceId(), i));
    return ids.stream().map(id -> PageCursor.sortKey(byId.get(id))).toList();
  }
}
