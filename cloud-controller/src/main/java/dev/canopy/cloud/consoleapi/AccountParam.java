package dev.canopy.cloud.consoleapi;

import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityException;
import dev.canopy.cloud.identity.IdentityService;
import java.util.Optional;
import java.util.regex.Pattern;

/** An {@code account} query value: an account's 12-digit id or its name, as the admin names accounts. */
public final class AccountParam {

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

  private AccountParam() {}

  /**
   * The account the value names: an id first (a name may be 12 digits too; ids are what reports
   * print), then a name.
   *
   * @throws ApiError 400 when the value is missing
   * @throws IdentityException 404 {@code NoSuchAccount} when no account has that id or name
   */
  public static Account resolve(IdentityService identity, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiError.invalidParameter("name the account with account=<name or 12-digit id>");
    }
    Optional<Account> byId = ACCOUNT_ID.matcher(value).matches() ? identity.findById(value) : Optional.empty();
    return byId.or(() -> identity.findByName(value))
        .orElseThrow(() -> new IdentityException(IdentityException.Reason.NOT_FOUND, "no account " + QueryValues.shown(value)));
  }
}
