package dev.canopy.cloud.identity;

import java.util.List;

/** Tells what an account still owns, so that deleting it never orphans resources. */
@FunctionalInterface
public interface ResourceOwnership {

  /** Human-readable names of what the account owns ("bucket photos"), empty when nothing. */
  List<String> ownedBy(String accountId);
}
