package dev.canopy.cloud.consolelogin;

import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import java.time.Duration;
import java.util.Optional;

/**
 * Logging in to the console: an account name (or 12-digit id) and its console password open a
 * session; {@code admin} is the operator, who reads every account. Failed logins are throttled
 * per account and per client address, and an unknown account costs the same hash as a wrong
 * password, so neither the answer nor its time tells which accounts exist.
 */
public final class ConsoleLogin {

  private final IdentityService identity;
  private final ConsolePasswords passwords;
  private final ConsoleSessions sessions;
  private final LoginThrottle throttle;

  /** Who a session speaks for. */
  public record Caller(String accountId, String accountName, boolean operator, ConsoleSession session) {}

  /** A login that worked: the session, the token for its cookie. */
  public record LoggedIn(String token, Caller caller) {
    @Override
    public String toString() {
      return "LoggedIn[" + caller + "]";
    }
  }

  /** A login refused: wrong account or password (one answer for both), or too many failures. */
  public static final class Refused extends RuntimeException {
    private final Duration retryAfter;

    Refused(String message, Duration retryAfter) {
      super(message, null, false, false);
      this.retryAfter = retryAfter;
    }

    /** Empty for a wrong account or password; how long to wait when throttled. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  public ConsoleLogin(IdentityService identity, ConsolePasswords passwords, ConsoleSessions sessions, LoginThrottle throttle) {
    this.identity = identity;
    this.passwords = passwords;
    this.sessions = sessions;
    this.throttle = throttle;
  }

  public LoggedIn login(String account, String password, String clientAddress) {
    Optional<Account> tenant = tenant(account);
    boolean operator = IdentityService.ADMIN_ACCOUNT_ID.equals(account);
    // Unknown names are throttled under the name as typed, so guessing names is slowed too.
    String accountId = operator ? IdentityService.ADMIN_ACCOUNT_ID : tenant.map(Account::id).orElse("?" + account);
    Optional<Duration> wait = throttle.waitBefore(accountId, clientAddress);
    if (wait.isPresent()) {
      throw new Refused("too many failed logins: try again later", wait.get());
    }
    // A disabled account's login fails like a wrong password (after the same hash), so the answer
    // tells a guesser nothing about which accounts are disabled.
    if (password == null || !passwords.matches(accountId, password) || tenant.filter(Account::disabled).isPresent()) {
      throttle.failed(accountId, clientAddress);
      throw new Refused("the account or the password is wrong", null);
    }
    throttle.succeeded(accountId);
    ConsoleSessions.Opened opened = sessions.open(accountId);
    return new LoggedIn(opened.token(), caller(opened.session()).orElseThrow());
  }

  /** The caller of a session token; empty when the token is unknown, logged out or expired, or its account deleted. */
  public Optional<Caller> caller(String token) {
    return sessions.find(token).flatMap(this::caller);
  }

  public void logout(String token) {
    sessions.close(token);
  }

  public SessionLimits limits() {
    return sessions.limits();
  }

  private Optional<Caller> caller(ConsoleSession session) {
    if (IdentityService.ADMIN_ACCOUNT_ID.equals(session.accountId())) {
      return Optional.of(new Caller(session.accountId(), IdentityService.ADMIN_ACCOUNT_ID, true, session));
    }
    // A disabled account's sessions end: they are refused from the next request on.
    return identity.findById(session.accountId()).filter(a -> !a.disabled()).map(a -> new Caller(a.id(), a.name(), false, session));
  }

  private Optional<Account> tenant(String account) {
    if (account == null || account.isEmpty() || account.length() > 64) {
      return Optional.empty();
    }
    return account.matches("\\d{12}") ? identity.findById(account) : identity.findByName(account);
  }
}
