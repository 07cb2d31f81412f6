package dev.canopy.cloud.tags;

import dev.canopy.api.error.AwsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds of resources CreateTags, DeleteTags and DescribeTags know, by id prefix
 * ({@code key}, {@code sg}, {@code i}, ...). Each family registers itself at assembly; an id
 * whose prefix nobody registered is {@code InvalidID}, and one the caller cannot see is the
 * family's own NotFound code (so another account's resources look exactly like absent ones).
 */
public final class TaggableResources {

  /**
   * One kind of taggable resource.
   *
   * @param resourceType EC2's name for it in DescribeTags ({@code key-pair}, {@code security-group})
   * @param notFoundCode the code for an id the caller cannot see ({@code InvalidGroup.NotFound})
   */
  public record Kind(String prefix, String resourceType, String notFoundCode, ResourceExistence existence) {}

  private final Map<String, Kind> byPrefix = new ConcurrentHashMap<>();

  public TaggableResources register(Kind kind) {
    if (byPrefix.putIfAbsent(kind.prefix(), kind) != null) {
      throw new IllegalStateException("two taggable kinds claim the id prefix " + kind.prefix());
    }
    return this;
  }

  public TaggableResources register(String prefix, String resourceType, String notFoundCode, ResourceExistence existence) {
    return register(new Kind(prefix, resourceType, notFoundCode, existence));
  }

  /**
   * The kind of a resource the account can see.
   *
   * @throws AwsException InvalidID for an unknown prefix or shape, the kind's NotFound code when
   *     the account has no such resource
   */
  public Kind resolve(String accountId, String resourceId) {
    int dash = resourceId.indexOf('-');
    Kind kind = dash <= 0 ? null : byPrefix.get(resourceId.substring(0, dash));
    if (kind == null) {
      throw new AwsException(400, "InvalidID", "The ID '" + resourceId + "' is not valid");
    }
    if (!kind.existence().exists(accountId, resourceId)) {
      throw new AwsException(400, kind.notFoundCode(), "The " + kind.resourceType() + " ID '" + resourceId + "' does not exist");
    }
    return kind;
  }

  public List<Kind> kinds() {
    return List.copyOf(byPrefix.values());
  }
}
