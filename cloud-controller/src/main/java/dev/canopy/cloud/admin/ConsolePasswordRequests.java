package dev.canopy.cloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consolelogin.ConsolePasswords;
import dev.canopy.cloud.consolelogin.PasswordRules;
import dev.canopy.cloud.identity.IdentityException;
import dev.canopy.cloud.identity.IdentityService;
import java.io.IOException;

/**
 * {@code PUT /admin/v1/accounts/{name}/console-password} with {@code {"password"}} sets an
 * account's console password ({@code admin}: the operator's); {@code DELETE} removes it, so the
 * account can no longer log in to the console. The password is never logged nor sent back.
 */
final class ConsolePasswordRequests {

  private final IdentityService identity;
  private final ConsolePasswords passwords;
  private final ObjectMapper json;

  ConsolePasswordRequests(IdentityService identity, ConsolePasswords passwords, ObjectMapper json) {
    this.identity = identity;
    this.passwords = passwords;
    this.json = json;
  }

  void set(String accountName, byte[] body) {
    String accountId = accountId(accountName);
    String password;
    try {
      JsonNode tree = json.readTree(body);
      if (tree == null || !tree.path("password").isTextual()) {
        throw new BadRequest("the body must be a JSON object with a string \"password\"");
      }
      password = tree.get("password").asText();
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON");
    }
    try {
      passwords.set(accountId, password);
    } catch (PasswordRules.InvalidPasswordException e) {
      throw new ApiError(400, "InvalidPassword", e.getMessage());
    }
  }

  void remove(String accountName) {
    passwords.remove(accountId(accountName));
  }

  private String accountId(String accountName) {
    if (IdentityService.ADMIN_ACCOUNT_ID.equals(accountName)) {
      return IdentityService.ADMIN_ACCOUNT_ID;
    }
    return identity.findByName(accountName).map(a -> a.id()).orElseThrow(() -> new IdentityException(
        IdentityException.Reason.NOT_FOUND, "no account named " + accountName));
  }
}
