package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.query.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * DescribeInstances and DescribeInstanceStatus pages as an SDK paginator walks them: every
 * instance once, in launch order, no empty trailing page, and a walk that survives launches and
 * purges between pages.
 */
class InstancePaginationTest {

  private static final int PAGES_MAX = 50;

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  InstancePaginationTest() {
    f.addNode("node-2", 64, 65536, 1000);
  }

  private List<String> launch(int count) {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      t.later(1);
      ids.add(t.runOne().instanceId());
    }
    return ids;
  }

  /** Walks the pages as a paginator does, counting them; the bound stops a token that never ends. */
  private List<List<String>> walk(int pageSize, BiFunction<Integer, String, Page> describe) {
    List<List<String>> pages = new ArrayList<>();
    String token = null;
    do {
      Page page = describe.apply(pageSize, token);
      pages.add(page.ids());
      token = page.nextToken();
    } while (token != null && pages.size() < PAGES_MAX);
    return pages;
  }

  private record Page(List<String> ids, String nextToken) {}

  private Page instances(List<Filter> filters, int size, String token) {
    InstancePage p = f.instances.describe(ALICE, List.of(), filters, size, token);
    return new Page(p.instances().stream().map(Instance::instanceId).toList(), p.nextToken());
  }

  @Test
  void anExactMultipleOfThePageSizeEndsWithoutAnEmptyPage() {
    List<String> ids = launch(10);
    List<List<String>> pages = walk(5, (size, token) -> instances(List.of(), size, token));
    assertThat(pages).hasSize(2);
    assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(ids);
  }

  @Test
  void fewerInstancesThanAPageIsOnePageWithoutAToken() {
    launch(3);
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), 5, null).nextToken()).isNull();
  }

  @Test
  void pagesHoldOnlyMatchingInstances() {
    List<String> ids = launch(12);
    f.instances.stop(ALICE, ids.subList(0, 7), false);
    List<Filter> stopped = List.of(new Filter("instance-state-name", List.of("stopped")));
    List<List<String>> pages = walk(5, (size, token) -> instances(stopped, size, token));
    assertThat(pages).extracting(List::size).containsExactly(5, 2);
    assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(ids.subList(0, 7));
  }

  @Test
  void anInstanceLaunchedDuringTheWalkAppearsOnALaterPage() {
    List<String> ids = launch(6);
    InstancePage first = f.instances.describe(ALICE, List.of(), List.of(), 5, null);
    String late = launch(1).get(0);
    InstancePage second = f.instances.describe(ALICE, List.of(), List.of(), 5, first.nextToken());
    assertThat(second.instances()).extracting(Instance::instanceId).containsExactly(ids.get(5), late);
    assertThat(second.nextToken()).isNull();
  }

  @Test
  void anInstancePurgedDuringTheWalkDoesNotBreakIt() {
    List<String> ids = launch(10);
    InstancePage first = f.instances.describe(ALICE, List.of(), List.of(), 5, null);
    // The last instance of the first page goes away for good before the next page is asked for.
    f.instances.terminate(ALICE, List.of(ids.get(4)));
    t.later(3601);
    assertThat(f.instances.purgeExpired()).isEqualTo(1);
    InstancePage second = f.instances.describe(ALICE, List.of(), List.of(), 5, first.nextToken());
    assertThat(second.instances()).extracting(Instance::instanceId).containsExactlyElementsOf(ids.subList(5, 10));
  }

  @Test
  void theInstancesOfOneReservationArePagedInLaunchIndexOrder() {
    Reservation r = f.instances.run(ALICE, t.launch(8, 8, null));
    List<List<String>> pages = walk(5, (size, token) -> instances(List.of(), size, token));
    assertThat(pages.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(r.instances().stream().map(Instance::instanceId).toList());
  }

  @Test
  void statusPagesWalkTheRunningInstancesOnly() {
    List<String> ids = launch(9);
    f.instances.stop(ALICE, ids.subList(0, 2), false);
    List<List<String>> pages = walk(5, (size, token) -> {
      InstanceStatusPage p = f.instances.describeStatus(ALICE, List.of(), false, List.of(), size, token);
      return new Page(p.statuses().stream().map(InstanceStatus::instanceId).toList(), p.nextToken());
    });
    assertThat(pages).extracting(List::size).containsExactly(5, 2);
    assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(ids.subList(2, 9));
  }

  @Test
  void aForgedStatusTokenIsInvalidParameterValue() {
    launch(1);
    assertError(() -> f.instances.describeStatus(ALICE, List.of(), true, List.of(), 5, "not-a-token"), 400, "InvalidParameterValue");
    assertError(() -> f.instances.describeStatus(ALICE, List.of(), true, List.of(), 5, "YXxifGM"), 400, "InvalidParameterValue");
  }
}
