package dev.canopy.cloud.eventsapi;

import dev.canopy.cloud.events.DomainEvent;
import dev.canopy.cloud.identity.IdentityService;

/** Whose events a reader sees: the operator every event, a tenant its own account's only. */
public record Audience(String accountId) {

  public boolean operator() {
    return IdentityService.ADMIN_ACCOUNT_ID.equals(accountId);
  }

  public boolean sees(DomainEvent event) {
    return event.visibleTo(accountId, operator());
  }

  public boolean seesAccount(String ownerAccountId) {
    return operator() || accountId.equals(ownerAccountId);
  }
}
