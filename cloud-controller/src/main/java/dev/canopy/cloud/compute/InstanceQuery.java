package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.Filters;
import dev.canopy.cloud.tags.TagStore;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * DescribeInstances: the account's instances, filtered (AND across filters, OR within one),
 * in launch order, a page at a time. The next token is the sort key of the last instance
 * shown, so a page never repeats or skips an instance that existed when the listing began.
 */
final class InstanceQuery {

  /** The filter names {@link #values} answers (besides {@code tag:KEY}); kept beside it. */
  static final java.util.Set<String> FILTER_NAMES = java.util.Set.of("instance-id", "instance-state-name", "instance-state-code",
      "tag-key", "tag-value", "image-id", "instance-type", "key-name", "availability-zone", "private-ip-address", "reservation-id",
      "owner-id", "client-token", "instance.group-id", "group-id", "instance.group-name", "group-name");

  private final InstanceStore store;
  private final TagStore tags;
  private final InstantSource clock;

  InstanceQuery(InstanceStore store, TagStore tags, InstantSource clock) {
    this.store = store;
    this.tags = tags;
    this.clock = clock;
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
    List<Instance> candidates = ids.isEmpty() ? store.visible(accountId, clock.instant()) : store.owned(accountId, ids, clock.instant());
    String after = nextToken == null ? null : decode(nextToken);
    List<Instance> matching = candidates.stream()
        .filter(i -> after == null || sortKey(i).compareTo(after) > 0)
        .filter(i -> Filters.matchAll(filters, name -> values(accountId, i, name)))
        .sorted(Comparator.comparing(InstanceQuery::sortKey))
        .toList();
    if (maxResults == null || matching.size() <= maxResults) {
      return new InstancePage(matching, null);
    }
    List<Instance> page = matching.subList(0, maxResults);
    return new InstancePage(page, encode(sortKey(page.get(page.size() - 1))));
  }

  static String sortKey(Instance i) {
    return String.format("%020d|%s|%05d|%s", i.launchTime().toEpochMilli(), i.reservationId(), i.amiLaunchIndex(), i.instanceId());
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (key.split("\\|").length != 4) {
        throw new IllegalArgumentException("not a sort key");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw Ec2Errors.invalidParameterValue("The token '" + token + "' is invalid.");
    }
  }

  private List<String> values(String accountId, Instance i, String filter) {
    if (filter.startsWith("tag:")) {
      String value = tags.tagsOf(accountId, i.instanceId()).get(filter.substring(4));
      return value == null ? List.of() : List.of(value);
    }
    return switch (filter) {
      case "instance-id" -> List.of(i.instanceId());
      case "instance-state-name" -> List.of(i.state().wireName());
      case "instance-state-code" -> List.of(Integer.toString(i.state().code()));
      case "tag-key" -> List.copyOf(tags.tagsOf(accountId, i.instanceId()).keySet());
      case "tag-value" -> List.copyOf(tags.tagsOf(accountId, i.instanceId()).values());
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
}
