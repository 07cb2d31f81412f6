package dev.canopy.cloud.consolelogin;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: after {@code perAccount} failed logins to one account, or
 * {@code perAddress} from one client address, within {@code window}, further attempts are refused
 * until the window that began with the first failure has passed. A success clears the account's
 * count. Kept in each controller's memory, bounded to the most recent {@code keysMax} accounts and
 * addresses: behind a load balancer over n controllers a guesser gets at most n times the limit.
 */
public final class LoginThrottle {

  public record Limits(int perAccount, int perAddress, Duration window, int keysMax) {
    public static final Limits DEFAULT = new Limits(5, 20, Duration.ofMinutes(15), 10_000);
  }

  private record Failures(Instant firstAt, int count) {}

  private final Limits limits;
  private final InstantSource clock;
  private final Map<String, Failures> failures;

  public LoginThrottle(Limits limits, InstantSource clock) {
    this.limits = limits;
    this.clock = clock;
    this.failures = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
        return size() > limits.keysMax();
      }
    };
  }

  /** How long until an attempt for {@code account} from {@code address} is allowed; empty when it is now. */
  public synchronized Optional<Duration> waitBefore(String account, String address) {
    Instant now = clock.instant();
    Duration wait = Duration.ZERO;
    for (var key : new String[] {accountKey(account), addressKey(address)}) {
      Failures f = live(key, now);
      int max = key.startsWith("a:") ? limits.perAccount() : limits.perAddress();
      if (f != null && f.count() >= max) {
        Duration left = Duration.between(now, f.firstAt().plus(limits.window()));
        wait = left.compareTo(wait) > 0 ? left : wait;
      }
    }
    return wait.isZero() || wait.isNegative() ? Optional.empty() : Optional.of(wait);
  }

  public synchronized void failed(String account, String address) {
    Instant now = clock.instant();
    for (var key : new String[] {accountKey(account), addressKey(address)}) {
      Failures f = live(key, now);
      failures.put(key, f == null ? new Failures(now, 1) : new Failures(f.firstAt(), f.count() + 1));
    }
  }

  public synchronized void succeeded(String account) {
    failures.remove(accountKey(account));
  }

  private Failures live(String key, Instant now) {
    Failures f = failures.get(key);
    if (f != null && !now.isBefore(f.firstAt().plus(limits.window()))) {
      failures.remove(key);
      return null;
    }
    return f;
  }

  private static String accountKey(String account) {
    return "a:" + account;
  }

  private static String addressKey(String address) {
    return "i:" + address;
  }
}
