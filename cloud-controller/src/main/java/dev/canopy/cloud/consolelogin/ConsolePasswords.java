package dev.canopy.cloud.consolelogin;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.TableSource;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * Console passwords per account id (grid map {@value #MAP}, written through like every map). An
 * account without one cannot log in to the console; its access keys are unaffected.
 */
public final class ConsolePasswords {

  public static final String MAP = "console-passwords";

  private final Table<StoredPassword> passwords;
  private final PasswordHash.Cost cost;
  private final SecureRandom random;
  private final InstantSource clock;
  /**
   * Checked when the account has no password, so that a refusal takes as long either way. A decoy,
   * not a hash of some password: a controller makes this at start, where a real hash cost about 0.2 s
   * of a cold JVM's CPU.
   */
  private final String decoy;

  public ConsolePasswords(Table<StoredPassword> passwords, PasswordHash.Cost cost, SecureRandom random, InstantSource clock) {
    this.passwords = passwords;
    this.cost = cost;
    this.random = random;
    this.clock = clock;
    this.decoy = PasswordHash.decoy(cost, random);
  }

  public static ConsolePasswords onGrid(TableSource grid, SecureRandom random, InstantSource clock) {
    return new ConsolePasswords(grid.map(MAP, StoredPassword.class), PasswordHash.Cost.DEFAULT, random, clock);
  }

  /** Sets or replaces the account's password after checking {@link PasswordRules}. */
  public void set(String accountId, String password) {
    PasswordRules.check(password);
    passwords.put(accountId, new StoredPassword(PasswordHash.hash(password, cost, random), clock.instant()));
  }

  /** The account can no longer log in to the console (sessions open now run out on their own). */
  public void remove(String accountId) {
    passwords.remove(accountId);
  }

  public boolean isSet(String accountId) {
    return passwords.get(accountId).isPresent();
  }

  /** True only when the account has a password and this is it; costs one hash either way. */
  public boolean matches(String accountId, String password) {
    var stored = passwords.get(accountId);
    boolean match = PasswordHash.verify(password, stored.map(StoredPassword::hash).orElse(decoy));
    return match && stored.isPresent();
  }
}
