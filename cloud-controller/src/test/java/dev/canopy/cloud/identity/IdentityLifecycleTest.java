package dev.canopy.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.crypto.SecretBoxException;
import dev.canopy.cloud.grid.InMemoryTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Accounts and keys over their lifetime, as an operator drives them: a deleted account's key
 * stops at once and stays stopped when the name is reused, a half-finished delete never leaves a
 * working key, racing creates of one name leave one account and one key, and the administrator's
 * key is no account's.
 */
class IdentityLifecycleTest {

  private final SecureRandom random = new SecureRandom();
  private final InMemoryTable<Account> accounts = new InMemoryTable<>();
  private final InMemoryTable<AccountName> names = new InMemoryTable<>();
  private final InMemoryTable<AccessKey> keys = new InMemoryTable<>();
  private final IdentityService identity = new IdentityService(accounts, names, keys,
      new SecretBox(MasterKey.generate(random), random), random, InstantSource.fixed(Instant.parse("2026-12-06T00:00:00Z")));

  private static final ResourceOwnership OWNS_NOTHING = accountId -> List.of();

  @Test
  void aDeletedAccountsKeyStopsAndStaysStoppedWhenTheNameIsTakenAgain() {
    Credential old = identity.createAccount("acme").credential();

    identity.deleteAccount("acme", OWNS_NOTHING);
    assertThat(identity.credentials().find(old.accessKeyId())).isEmpty();
    NewAccount again = identity.createAccount("acme");

    assertThat(again.account().id()).as("a new account, not the old one revived").isNotEqualTo(old.accountId());
    assertThat(again.credential().accessKeyId()).isNotEqualTo(old.accessKeyId());
    assertThat(identity.credentials().find(old.accessKeyId())).as("the old key").isEmpty();
    assertThat(identity.credentials().find(again.credential().accessKeyId()).orElseThrow().accountId())
        .isEqualTo(again.account().id());
    assertThat(keys.size()).as("only the new key is stored").isEqualTo(1);
  }

  @Test
  void aKeyWhoseAccountRecordIsGoneNeverAuthenticates() {
    // A delete that stopped after removing the account record (the first of its three writes).
    NewAccount created = identity.createAccount("acme");
    accounts.remove(created.account().id());

    assertThat(identity.credentials().find(created.credential().accessKeyId())).isEmpty();
    assertThat(identity.listAccounts()).isEmpty();
    assertThat(identity.findByName("acme")).isEmpty();
  }

  @Test
  void deletingAnAccountLeavesEveryOtherAccountsKeysAndTheAdministratorsWorking() {
    Credential admin = identity.createAdminKey();
    Credential acme = identity.createAccount("acme").credential();
    Credential globex = identity.createAccount("globex").credential();

    identity.deleteAccount("acme", OWNS_NOTHING);

    assertThat(identity.credentials().find(acme.accessKeyId())).isEmpty();
    assertThat(identity.credentials().find(globex.accessKeyId()).orElseThrow().secretAccessKey())
        .isEqualTo(globex.secretAccessKey());
    Credential found = identity.credentials().find(admin.accessKeyId()).orElseThrow();
    assertThat(found.accountId()).isEqualTo(IdentityService.ADMIN_ACCOUNT_ID);
    assertThat(identity.listAccounts()).extracting(Account::name).containsExactly("globex");
  }

  @Test
  void theAdministratorIsNoAccountAndCannotBeDeletedAsOne() {
    identity.createAdminKey();

    assertThat(identity.listAccounts()).isEmpty();
    assertThat(identity.findByName(IdentityService.ADMIN_ACCOUNT_ID)).isEmpty();
    assertThatThrownBy(() -> identity.deleteAccount(IdentityService.ADMIN_ACCOUNT_ID, OWNS_NOTHING))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.NOT_FOUND));
  }

  @Test
  void aSealedSecretCopiedOntoAnotherKeyDoesNotOpenThere() {
    Credential acme = identity.createAccount("acme").credential();
    Credential globex = identity.createAccount("globex").credential();
    AccessKey acmeKey = keys.get(acme.accessKeyId()).orElseThrow();
    AccessKey globexKey = keys.get(globex.accessKeyId()).orElseThrow();

    // Someone with write access to the grid swaps the sealed secrets between two keys.
    keys.put(globex.accessKeyId(), new AccessKey(globexKey.accessKeyId(), globexKey.accountId(), acmeKey.sealedSecret(),
        globexKey.createdAt()));

    // The secret is bound to its key id: acme's secret must never sign for globex.
    assertThatThrownBy(() -> identity.credentials().find(globex.accessKeyId()))
        .isInstanceOf(SecretBoxException.class).hasMessageNotContaining(acme.secretAccessKey());
    assertThat(identity.credentials().find(acme.accessKeyId()).orElseThrow().secretAccessKey()).isEqualTo(acme.secretAccessKey());
  }

  @Test
  void racingCreatesOfOneNameLeaveOneAccountAndOneKey() throws Exception {
    int racers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int round = 0; round < 20; round++) {
        String name = "team-" + round;
        CyclicBarrier start = new CyclicBarrier(racers);
        List<Future<Boolean>> creates = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
          creates.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              identity.createAccount(name);
              return true;
            } catch (IdentityException e) {
              assertThat(e.reason()).isEqualTo(IdentityException.Reason.ALREADY_EXISTS);
              return false;
            }
          }));
        }
        int won = 0;
        for (Future<Boolean> create : creates) {
          won += create.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(won).as("round %d", round).isEqualTo(1);
        String accountId = identity.findByName(name).orElseThrow().id();
        assertThat(keys.values(k -> k.accountId().equals(accountId))).as("round %d: one key", round).hasSize(1);
      }
      assertThat(keys.size()).as("no key of a losing create is left").isEqualTo(20);
      assertThat(identity.listAccounts()).hasSize(20);
    } finally {
      pool.shutdownNow();
    }
  }
}
