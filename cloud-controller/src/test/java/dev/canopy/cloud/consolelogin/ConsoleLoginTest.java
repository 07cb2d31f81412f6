package dev.canopy.cloud.consolelogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.core.time.ManualTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Logins, sessions and the throttle over in-memory tables and a manual clock. */
class ConsoleLoginTest {

  private static final String PASSWORD = "a long enough password";
  private final SecureRandom random = new SecureRandom();
  private final ManualTime time = new ManualTime(Instant.parse("2026-12-06T12:00:00Z"));
  private final IdentityService identity = new IdentityService(new InMemoryTable<>(), new InMemoryTable<>(), new InMemoryTable<>(),
      new SecretBox(MasterKey.generate(random), random), random, time);
  private final InMemoryTable<StoredPassword> passwordTable = new InMemoryTable<>();
  private final InMemoryTable<ConsoleSession> sessionTable = new InMemoryTable<>();
  private final ConsolePasswords passwords = new ConsolePasswords(passwordTable, new PasswordHash.Cost(64, 1, 1), random, time);
  private final ConsoleLogin login = controller();
  private final NewAccount acme = identity.createAccount("acme");

  /** One controller's login service: each has its own throttle, all share the grid's tables. */
  private ConsoleLogin controller() {
    return new ConsoleLogin(identity, passwords, new ConsoleSessions(sessionTable, SessionLimits.DEFAULT, random, time),
        new LoginThrottle(LoginThrottle.Limits.DEFAULT, time));
  }

  @Test
  void aSessionOpenedOnOneControllerIsServedByAnotherAndTheGridNeverHoldsItsToken() {
    passwords.set(acme.account().id(), PASSWORD);
    ConsoleLogin.LoggedIn in = login.login("acme", PASSWORD, "192.0.2.1");

    assertThat(controller().caller(in.token())).map(ConsoleLogin.Caller::accountName).hasValue("acme");
    assertThat(sessionTable.values(s -> true)).singleElement()
        .satisfies(s -> assertThat(s.id()).isNotEqualTo(in.token()).hasSize(64));
    assertThat(passwordTable.values(p -> true).toString()).doesNotContain("argon2");
  }

  @Test
  void theAccountIdLogsInAsWellAsTheName() {
    passwords.set(acme.account().id(), PASSWORD);

    assertThat(login.login(acme.account().id(), PASSWORD, "192.0.2.1").caller().accountName()).isEqualTo("acme");
  }

  @Test
  void aSessionEndsAfterThirtyIdleMinutesOrTwelveHoursWhateverItsUse() {
    passwords.set(acme.account().id(), PASSWORD);
    String idle = login.login("acme", PASSWORD, "192.0.2.1").token();
    String busy = login.login("acme", PASSWORD, "192.0.2.1").token();

    time.advance(Duration.ofMinutes(29));
    assertThat(login.caller(busy)).isPresent();
    time.advance(Duration.ofMinutes(2));
    assertThat(login.caller(idle)).as("31 idle minutes").isEmpty();
    for (int i = 0; i < 12 * 3; i++) {
      time.advance(Duration.ofMinutes(20));
      if (login.caller(busy).isEmpty()) {
        assertThat(Duration.between(Instant.parse("2026-12-06T12:00:00Z"), time.instant())).isGreaterThanOrEqualTo(Duration.ofHours(12));
        return;
      }
    }
    throw new AssertionError("a session in use never ended");
  }

  @Test
  void aDeletedAccountsSessionEndsAtOnce() {
    passwords.set(acme.account().id(), PASSWORD);
    NewAccount leaving = identity.createAccount("leaving");
    passwords.set(leaving.account().id(), PASSWORD);
    String token = login.login("leaving", PASSWORD, "192.0.2.1").token();

    identity.deleteAccount("leaving", accountId -> java.util.List.of());

    assertThat(login.caller(token)).isEmpty();
  }

  @Test
  void failuresAreThrottledPerAccountAndPerAddressAndTheWindowPasses() {
    passwords.set(acme.account().id(), PASSWORD);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> login.login("acme", "wrong password here", "192.0.2.1"))
          .isInstanceOfSatisfying(ConsoleLogin.Refused.class, r -> assertThat(r.retryAfter()).isEmpty());
    }
    assertThatThrownBy(() -> login.login("acme", PASSWORD, "192.0.2.99")).as("another address, same account")
        .isInstanceOfSatisfying(ConsoleLogin.Refused.class, r -> assertThat(r.retryAfter()).isPresent());

    time.advance(Duration.ofMinutes(15));
    assertThat(login.login("acme", PASSWORD, "192.0.2.1").caller().accountName()).isEqualTo("acme");

    for (int i = 0; i < 20; i++) {
      String name = "nobody" + i;
      assertThatThrownBy(() -> login.login(name, PASSWORD, "198.51.100.7")).isInstanceOf(ConsoleLogin.Refused.class);
    }
    assertThatThrownBy(() -> login.login("acme", PASSWORD, "198.51.100.7")).as("an address that guessed 20 names")
        .isInstanceOfSatisfying(ConsoleLogin.Refused.class, r -> assertThat(r.retryAfter()).isPresent());
  }

  @Test
  void anAccountWithoutAPasswordCannotLogInAndTheOperatorIsAdmin() {
    assertThatThrownBy(() -> login.login("acme", PASSWORD, "192.0.2.1")).isInstanceOf(ConsoleLogin.Refused.class);
    passwords.set(IdentityService.ADMIN_ACCOUNT_ID, PASSWORD);

    ConsoleLogin.Caller operator = login.login("admin", PASSWORD, "192.0.2.1").caller();

    assertThat(operator.operator()).isTrue();
    assertThat(operator.accountId()).isEqualTo(IdentityService.ADMIN_ACCOUNT_ID);
    assertThatThrownBy(() -> identity.createAccount("admin")).hasMessageContaining("reserved");
  }

  @Test
  void aDisabledAccountCannotLogInAndItsOpenSessionsEnd() {
    passwords.set(acme.account().id(), PASSWORD);
    String open = login.login("acme", PASSWORD, "192.0.2.1").token();

    identity.disable("acme");
    assertThat(login.caller(open)).isEmpty();
    assertThatThrownBy(() -> login.login("acme", PASSWORD, "192.0.2.1"))
        .isInstanceOfSatisfying(ConsoleLogin.Refused.class, e -> assertThat(e.getMessage()).contains("wrong"));

    identity.enable("acme");
    assertThat(login.login("acme", PASSWORD, "192.0.2.2").caller().accountName()).isEqualTo("acme");
  }
}
