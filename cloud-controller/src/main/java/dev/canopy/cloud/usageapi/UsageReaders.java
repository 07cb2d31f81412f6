package dev.canopy.cloud.usageapi;

import dev.canopy.api.auth.Principal;
import dev.canopy.cloud.consoleapi.AccountParam;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import java.util.Optional;

/**
 * Who may read whose usage: a tenant its own account's, the administrator anyone's.
 *
 * <p>An instance nothing was metered for is 404 {@code NoSuchInstance} to the administrator only. A
 * tenant gets the same 403 for it as for another account's instance: answering 404 there and 403
 * for a stranger's would tell any tenant which instance ids exist in other accounts.
 */
final class UsageReaders {

  private UsageReaders() {}

  static boolean isAdmin(Principal caller) {
    return IdentityService.ADMIN_ACCOUNT_ID.equals(caller.accountId());
  }

  /** @param owner the account that owned the instance when it was metered; empty when nothing was */
  static void checkInstance(Principal caller, String instanceId, Optional<String> owner) {
    if (isAdmin(caller)) {
      if (owner.isEmpty()) {
        throw new ApiError(404, "NoSuchInstance", "nothing was metered for instance " + instanceId);
      }
      return;
    }
    if (!owner.equals(Optional.of(caller.accountId()))) {
      throw ApiError.accessDenied("the usage of instance " + instanceId + " is not readable with these credentials");
    }
  }

  /**
   * The account a call reads: the administrator names any ({@code account=} its name or id); a
   * tenant may name only its own (by id or name), or none, else 403.
   */
  static Account accountOf(IdentityService identity, Principal caller, String named) {
    if (isAdmin(caller)) {
      return AccountParam.resolve(identity, named);
    }
    Account own = identity.findById(caller.accountId())
        .orElseThrow(() -> ApiError.accessDenied("these credentials belong to no account"));
    if (named == null || named.equals(own.id()) || named.equals(own.name())) {
      return own;
    }
    // Not resolved first: a 404 for names that do not exist would tell a tenant which ones do.
    throw ApiError.accessDenied("these credentials read their own account's usage only");
  }
}
