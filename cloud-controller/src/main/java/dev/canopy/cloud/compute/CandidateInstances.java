package dev.canopy.cloud.compute;

import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.Filters;
import dev.canopy.cloud.tags.TagStore;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Narrows a DescribeInstances to the ids that can match before any record is read, through the
 * grid's indexes: the account's instances, cut down by the state, image and tag filters where they
 * allow it. The answer is a superset of the matches (a filter it cannot use narrows nothing), so
 * the caller still applies every filter to the records it reads ({@link InstanceQuery}): the
 * filters' meaning lives in one place.
 */
final class CandidateInstances {

  private final InstanceStore store;
  private final TagStore tags;

  CandidateInstances(InstanceStore store, TagStore tags) {
    this.store = store;
    this.tags = tags;
  }

  /**
   * True when {@link #of} can narrow these filters through an index (state, literal image, tag key);
   * otherwise it would list every instance of the account, and a walk in launch order ({@link
   * LaunchWindows}) reads less.
   */
  static boolean narrows(List<Filter> filters) {
    return filters.stream().anyMatch(f -> f.name().equals("instance-state-name") || f.name().equals("instance-state-code")
        || f.name().startsWith("tag:") || (f.name().equals("image-id") || f.name().equals("tag-key")) && allLiteral(f.values()));
  }

  /** Ids of the account's instances that may match all {@code filters} (AND across, OR within). */
  Set<String> of(String accountId, List<Filter> filters) {
    Set<InstanceState> states = null;
    Set<String> images = null;
    Set<String> tagged = null;
    for (Filter filter : filters) {
      String name = filter.name();
      if (name.equals("instance-state-name") || name.equals("instance-state-code")) {
        Set<InstanceState> allowed = statesMatching(filter);
        states = states == null ? allowed : intersect(states, allowed);
      } else if (name.equals("image-id") && allLiteral(filter.values())) {
        Set<String> allowed = Set.copyOf(filter.values());
        images = images == null ? allowed : intersect(images, allowed);
      } else if (name.startsWith("tag:")) {
        Set<String> allowed = tags.resourcesWithKey(accountId, name.substring(4));
        tagged = tagged == null ? allowed : intersect(tagged, allowed);
      } else if (name.equals("tag-key") && allLiteral(filter.values())) {
        Set<String> allowed = new HashSet<>();
        filter.values().forEach(key -> allowed.addAll(tags.resourcesWithKey(accountId, key)));
        tagged = tagged == null ? allowed : intersect(tagged, allowed);
      }
    }
    if (tagged != null && tagged.isEmpty()) {
      return Set.of();
    }
    if (tagged != null && states == null && images == null) {
      // Already the account's own resources (tags are kept per account), usually far fewer than its
      // instances: no need to list the instances as well. Ids of other tagged resources (volumes)
      // have no instance record and drop out when the records are read, as does any not visible.
      return tagged;
    }
    Set<String> ids = new HashSet<>(store.idsOwnedBy(accountId, states, images));
    if (tagged != null) {
      ids.retainAll(tagged);
    }
    return ids;
  }

  /** States are few: each is tried against the filter's values exactly as the record check will. */
  private static Set<InstanceState> statesMatching(Filter filter) {
    boolean byName = filter.name().equals("instance-state-name");
    return Arrays.stream(InstanceState.values())
        .filter(s -> filter.values().stream().anyMatch(v -> Filters.wildcard(v, byName ? s.wireName() : Integer.toString(s.code()))))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(InstanceState.class)));
  }

  /** A value with no wildcard or escape means itself, so it can be looked up in an index. */
  private static boolean allLiteral(List<String> values) {
    return values.stream().noneMatch(v -> v.indexOf('*') >= 0 || v.indexOf('?') >= 0 || v.indexOf('\\') >= 0);
  }

  private static <T> Set<T> intersect(Set<T> a, Set<T> b) {
    Set<T> both = new HashSet<>(a);
    both.retainAll(b);
    return both;
  }
}
