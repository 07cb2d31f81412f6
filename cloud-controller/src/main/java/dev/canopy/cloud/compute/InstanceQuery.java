package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.Filters;
import dev.canopy.cloud.tags.TagStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DescribeInstances: the account's instances, filtered (AND across filters, OR within one),
 * in launch order, a page at a time.
 *
 * <p>A listing reads only what it shows: the candidate ids come from the grid's indexes ({@link
 * CandidateInstances}), their order from sort keys this controller remembers ({@link LaunchOrder}),
 * and records (and tags, when a filter needs them) are read a chunk at a time in that order until
 * the page is full. Every filter is then checked on the records read, so the indexes only save work.
 * The next token is a cursor on the sort key of the last instance shown ({@link PageCursor}).
 */
final class InstanceQuery {

  /** The filter names {@link #values} answers (besides {@code tag:KEY}); kept beside it. */
  static final java.util.Set<String> FILTER_NAMES = java.util.Set.of("instance-id", "instance-state-name", "instance-state-code",
      "tag-key", "tag-value", "image-id", "instance-type", "key-name", "availability-zone", "private-ip-address", "reservation-id",
      "owner-id", "client-token", "instance.group-id", "group-id", "instance.group-name", "group-name");
  /** Records read in one round trip at least: filters the indexes cannot narrow then cost few trips. */
  static final int CHUNK_MIN = 100;
  /** Ranges one page may ask the grid for ({@link #walk}); the last asks for the rest of the account. */
  static final int WALK_STEPS_MAX = 32;

  private final InstanceStore store;
  private final TagStore tags;
  private final InstantSource clock;
  private final CandidateInstances candidates;
  private final LaunchOrder order = new LaunchOrder();
  private final LaunchWindows windows = new LaunchWindows();

  InstanceQuery(InstanceStore store, TagStore tags, InstantSource clock) {
    this.store = store;
    this.tags = tags;
    this.clock = clock;
    this.candidates = new CandidateInstances(store, tags);
  }

  /**
   * @param maxResults null for everything; else 5..1000 (checked by the caller's parser)
   * @param nextToken null for the first page
   */
  InstancePage describe(String accountId, List<String> ids, List<Filter> filters, Integer maxResults, String nextToken) {
    if (maxResults != null && !ids.isEmpty()) {
      throw Ec2Errors.invalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults");
    }
    Filters.requireKnown(filters, FILTER_NAMES);
    String query = PageCursor.query("DescribeInstances", accountId, filters);
    String after = nextToken == null ? null : PageCursor.decode(nextToken, query);
    Instant now = clock.instant();
    int wanted = maxResults == null ? Integer.MAX_VALUE : maxResults;
    if (ids.isEmpty() && !CandidateInstances.narrows(filters)) {
      java.util.Optional<InstancePage> walked = walk(accountId, filters, wanted, after, query, now);
      if (walked.isPresent()) {
        return walked.get();
      }
    }
    List<String> ordered = ids.isEmpty() ? inOrder(candidates.of(accountId, filters), after) : named(accountId, ids, now, after);
    boolean tagFilters = filters.stream().anyMatch(f -> f.name().startsWith("tag"));
    List<Instance> page = new ArrayList<>();
    boolean more = false;
    for (int from = 0; from < ordered.size() && !more; ) {
      // One more than the page needs: whether a further match exists decides the token.
      int chunk = (int) Math.min(ordered.size() - from, Math.max(CHUNK_MIN, (long) wanted - page.size() + 1));
      List<String> chunkIds = ordered.subList(from, from + chunk);
      from += chunk;
      Map<String, Instance> records = store.visibleAmong(accountId, chunkIds, now);
      Map<String, Map<String, String>> chunkTags = tagFilters ? tags.tagsOfEach(accountId, chunkIds) : Map.of();
      for (String id : chunkIds) {
        Instance i = records.get(id);
        Map<String, String> itsTags = chunkTags.getOrDefault(id, Map.of());
        if (i == null || !Filters.matchAll(filters, name -> values(i, itsTags, name))) {
          continue;
        }
        if (page.size() == wanted) {
          more = true;
          break;
        }
        page.add(i);
      }
    }
    return new InstancePage(page, more ? PageCursor.encode(PageCursor.sortKey(page.get(page.size() - 1)), query) : null);
  }

  /**
   * A page from the account's instances in launch order, a range of the grid's launch-key index at
   * a time ({@link LaunchWindows}), each range sized for what the page still needs plus one, and
   * doubled while filters the index cannot use leave it short; empty when the table has no such
   * index.
   */
  private java.util.Optional<InstancePage> walk(String accountId, List<Filter> filters, int wanted, String after, String query,
      Instant now) {
    boolean tagFilters = filters.stream().anyMatch(f -> f.name().startsWith("tag"));
    List<Instance> page = new ArrayList<>();
    boolean more = false;
    String from = after;
    int size = 0;
    for (int steps = 0; !more; steps++) {
      // A bound on round trips: sizes double, so 32 steps pass any account (the last asks for the rest).
      size = wanted == Integer.MAX_VALUE || steps == WALK_STEPS_MAX - 1
          ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(Math.max(CHUNK_MIN, wanted - page.size() + 1L), 2L * size));
      java.util.Optional<LaunchWindows.Window> window = windows.next(store, accountId, from, size);
      if (window.isEmpty()) {
        return java.util.Optional.empty();
      }
      List<Instance> inOrder = window.get().inOrder();
      Map<String, Map<String, String>> windowTags = tagFilters
          ? tags.tagsOfEach(accountId, inOrder.stream().map(Instance::instanceId).toList()) : Map.of();
      for (Instance i : inOrder) {
        Map<String, String> itsTags = windowTags.getOrDefault(i.instanceId(), Map.of());
        if (!InstanceStore.isVisible(i, accountId, now) || !Filters.matchAll(filters, name -> values(i, itsTags, name))) {
          continue;
        }
        if (page.size() == wanted) {
          more = true;
          break;
        }
        page.add(i);
      }
      from = window.get().nextAfter();
      if (from == null) {
        break;
      }
    }
    return java.util.Optional.of(new InstancePage(page, more ? PageCursor.encode(PageCursor.sortKey(page.get(page.size() - 1)), query) : null));
  }

  /** The candidates after the cursor, in launch order. */
  private List<String> inOrder(java.util.Set<String> ids, String after) {
    Map<String, String> keys = order.keysOf(ids, store::records);
    return keys.entrySet().stream()
        .filter(e -> after == null || e.getValue().compareTo(after) > 0)
        .sorted(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** InstanceId.N: each must be the account's (else NotFound, as before any filter), in launch order. */
  private List<String> named(String accountId, List<String> ids, Instant now, String after) {
    return store.owned(accountId, ids, now).stream()
        .map(i -> Map.entry(PageCursor.sortKey(i), i.instanceId()))
        .filter(e -> after == null || e.getKey().compareTo(after) > 0)
        .sorted(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .toList();
  }

  private static List<String> values(Instance i, Map<String, String> tags, String filter) {
    if (filter.startsWith("tag:")) {
      String value = tags.get(filter.substring(4));
      return value == null ? List.of() : List.of(value);
    }
    return switch (filter) {
      case "instance-id" -> List.of(i.instanceId());
      case "instance-state-name" -> List.of(i.state().wireName());
      case "instance-state-code" -> List.of(Integer.toString(i.state().code()));
      case "tag-key" -> List.copyOf(tags.keySet());
      case "tag-value" -> List.copyOf(tags.values());
      case "image-id" -> List.of(i.imageId());
      case "instance-type" -> List.of(i.instanceType());
      case "key-name" -> i.keyName() == null ? List.of() : List.of(i.keyName());
      case "availability-zone" -> List.of(i.zone());
      case "private-ip-address" -> i.privateIp() == null ? List.of() : List.of(i.privateIp());
      case "reservation-id" -> List.of(i.reservationId());
      case "owner-id" -> List.of(i.ownerId());
      case "client-token" -> i.clientToken() == null ? List.of() : List.of(i.clientToken());
      case "instance.group-id", "group-id" -> i.groups().stream().map(GroupRef::groupId).toList();
      case "instance.group-name", "group-name" -> i.groups().stream().map(GroupRef::groupName).toList();
      default -> throw Ec2Errors.invalidParameterValue("The filter '" + filter + "' is invalid");
    };
  }

  Map<String, String> tagsOf(String accountId, String instanceId) {
    return tags.tagsOf(accountId, instanceId);
  }

  /** The tags of each of these instances that has any, read in one call: for rendering a page. */
  Map<String, Map<String, String>> tagsOfEach(String accountId, List<String> instanceIds) {
    return tags.tagsOfEach(accountId, instanceIds);
  }
}
