package dev.canopy.cloud.tags;

import dev.canopy.api.error.Ec2Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateTags and DeleteTags: every resource is checked first, so a request naming one resource
 * the caller cannot see changes nothing.
 */
public final class Tagging {

  /** AWS accepts up to 1,000 resource ids per CreateTags; a bound on the work of one request. */
  public static final int RESOURCES_PER_REQUEST_MAX = 1000;

  /** One key to delete, with the value it must have (empty: whatever its value). */
  public record KeyMatch(String key, Optional<String> value) {}

  private final TagStore store;
  private final TaggableResources resources;

  public Tagging(TagStore store, TaggableResources resources) {
    this.store = store;
    this.resources = resources;
  }

  public TagStore store() {
    return store;
  }

  public void create(String accountId, List<String> resourceIds, Map<String, String> tags) {
    checkCount(resourceIds);
    TagRules.check(tags);
    List<TaggableResources.Kind> kinds = new ArrayList<>();
    for (String id : resourceIds) {
      kinds.add(resources.resolve(accountId, id));
    }
    for (String id : resourceIds) {
      // Checked up front so the limit fails the whole request, not half of it.
      Map<String, String> merged = new HashMap<>(store.tagsOf(accountId, id));
      merged.putAll(tags);
      TagRules.checkCount(merged.size());
    }
    for (int i = 0; i < resourceIds.size(); i++) {
      store.put(accountId, resourceIds.get(i), kinds.get(i).resourceType(), tags);
    }
  }

  /** Deletes the matching tags; no keys at all deletes every tag of the resources, as AWS does. */
  public void delete(String accountId, List<String> resourceIds, List<KeyMatch> matches) {
    checkCount(resourceIds);
    for (KeyMatch match : matches) {
      TagRules.checkKey(match.key());
    }
    for (String id : resourceIds) {
      resources.resolve(accountId, id);
    }
    for (String id : resourceIds) {
      if (matches.isEmpty()) {
        store.remove(accountId, id, List.of());
        continue;
      }
      Map<String, String> current = store.tagsOf(accountId, id);
      List<String> keys = matches.stream()
          .filter(m -> current.containsKey(m.key()) && m.value().map(v -> v.equals(current.get(m.key()))).orElse(true))
          .map(KeyMatch::key)
          .toList();
      if (!keys.isEmpty()) {
        store.remove(accountId, id, keys);
      }
    }
  }

  public List<Tag> all(String accountId) {
    return store.all(accountId);
  }

  private static void checkCount(List<String> resourceIds) {
    if (resourceIds.isEmpty()) {
      throw Ec2Errors.missingParameter("ResourceId.1");
    }
    if (resourceIds.size() > RESOURCES_PER_REQUEST_MAX) {
      throw Ec2Errors.invalidParameterValue("At most " + RESOURCES_PER_REQUEST_MAX + " resource ids per request");
    }
  }
}
