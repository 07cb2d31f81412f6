package dev.canopy.cloud.events;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the event log.
 *
 * @param seq its place in the log: 1, 2, 3... without gaps, so a reader resumes after the last it saw
 * @param type what happened, one of {@link EventTypes}
 * @param accountId the tenant the event concerns (who may read it besides the operator); null for
 *     events of the cloud itself (nodes, the lease), which only the operator reads
 * @param subject the resource it happened to: an instance id, an account name, an access key id, a node id
 * @param detail a few named values (from and to states, the epoch...), never a secret
 */
public record DomainEvent(long seq, Instant time, String type, String accountId, String subject, Map<String, String> detail) {

  public DomainEvent {
    // In the order given (from before to): a reader shows them as written.
    detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail));
  }

  /** Whether a session of {@code accountId} may read it: the operator reads all, a tenant its own account's. */
  public boolean visibleTo(String readerAccountId, boolean operator) {
    return operator || (accountId != null && accountId.equals(readerAccountId));
  }
}
