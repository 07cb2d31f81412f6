package dev.canopy.cloud.tags;

/** Whether an account can see a resource: each taggable family answers for its own ids. */
@FunctionalInterface
public interface ResourceExistence {
  boolean exists(String accountId, String resourceId);
}
