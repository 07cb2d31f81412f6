package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.Filters;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;

/**
 * DescribeInstanceStatus: the account's instances (running ones only, unless all are asked
 * for) with their system and instance status, filtered and paged like DescribeInstances
 * (same sort key; a {@link PageCursor} token bound to this action, so one from DescribeInstances is refused).
 */
final class InstanceStatusQuery {

  /** The filter names {@link #values} answers; kept beside it. */
  static final java.util.Set<String> FILTER_NAMES = java.util.Set.of("availability-zone", "instance-state-name", "instance-state-code",
      "system-status.status", "system-status.reachability", "instance-status.status", "instance-status.reachability");

  private final InstanceStore store;
  private final InstantSource clock;

  InstanceStatusQuery(InstanceStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @param includeAll false for running instances only (EC2's default); a named instance that
   *     is not running is then left out, not an error
   * @param maxResults null for everything; else 5..1000 (checked by the caller's parser)
   */
  InstanceStatusPage describe(String accountId, List<String> ids, boolean includeAll, List<Filter> filters, Integer maxResults,
      String nextToken) {
    if (maxResults != null && !ids.isEmpty()) {
      throw Ec2Errors.invalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults");
    }
    Filters.requireKnown(filters, FILTER_NAMES);
    List<Instance> candidates = ids.isEmpty() ? store.visible(accountId, clock.instant()) : store.owned(accountId, ids, clock.instant());
    String query = PageCursor.query("DescribeInstanceStatus" + (includeAll ? "/all" : ""), accountId, filters);
    String after = nextToken == null ? null : PageCursor.decode(nextToken, query);
    List<Instance> matching = candidates.stream()
        .filter(i -> includeAll || i.state() == InstanceState.RUNNING)
        .filter(i -> after == null || PageCursor.sortKey(i).compareTo(after) > 0)
        .filter(i -> {
          InstanceStatus status = InstanceStatus.of(i);
          return Filters.matchAll(filters, name -> values(status, name));
        })
        .sorted(Comparator.comparing(PageCursor::sortKey))
        .toList();
    List<Instance> page = maxResults == null || matching.size() <= maxResults ? matching : matching.subList(0, maxResults);
    String token = page.size() < matching.size() ? PageCursor.encode(PageCursor.sortKey(page.get(page.size() - 1)), query) : null;
    return new InstanceStatusPage(page.stream().map(InstanceStatus::of).toList(), token);
  }

  private static List<String> values(InstanceStatus s, String filter) {
    return switch (filter) {
      case "availability-zone" -> List.of(s.zone());
      case "instance-state-name" -> List.of(s.state().wireName());
      case "instance-state-code" -> List.of(Integer.toString(s.state().code()));
      case "system-status.status" -> List.of(s.system().wireName());
      case "system-status.reachability" -> s.system().reachability() == null ? List.of() : List.of(s.system().reachability());
      case "instance-status.status" -> List.of(s.instance().wireName());
      case "instance-status.reachability" -> s.instance().reachability() == null ? List.of() : List.of(s.instance().reachability());
      default -> throw Ec2Errors.invalidParameterValue("The filter '" + filter + "' is invalid");
    };
  }
}
