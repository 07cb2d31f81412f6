package dev.canopy.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityServiceTest {

  private final SecureRandom random = new SecureRandom();
  private final InMemoryTable<Account> accounts = new InMemoryTable<>();
  private final InMemoryTable<AccountName> names = new InMemoryTable<>();
  private final InMemoryTable<AccessKey> keys = new InMemoryTable<>();
  private final IdentityService identity =
      new IdentityService(
          accounts, names, keys, new SecretBox(MasterKey.generate(random), random), random,
          InstantSource.fixed(Instant.parse("2026-11-26T07:00:00Z")));

  @Test
  void createdAccountIsListedAndItsKeyAuthenticates() {
    NewAccount created = identity.createAccount("acme");

    assertThat(created.account().id()).matches("[1-9][0-9]{11}");
    assertThat(created.credential().accessKeyId()).matches("AKIA[A-Z2-7]{16}");
    assertThat(created.credential().secretAccessKey()).hasSize(40);
    assertThat(identity.listAccounts()).extracting(Account::name).containsExactly("acme");
    Credential found = identity.credentials().find(created.credential().accessKeyId()).orElseThrow();
    assertThat(found.secretAccessKey()).isEqualTo(created.credential().secretAccessKey());
    assertThat(found.accountId()).isEqualTo(created.account().id());
  }

  @Test
  void secretsAreStoredSealed() {
    NewAccount created = identity.createAccount("acme");
    AccessKey stored = keys.get(created.credential().accessKeyId()).orElseThrow();
    assertThat(stored.sealedSecret()).doesNotContain(created.credential().secretAccessKey());
  }

  @Test
  void namesAreUniqueAndValidated() {
    identity.createAccount("acme");
    assertThatThrownBy(() -> identity.createAccount("acme"))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.ALREADY_EXISTS));
    for (String bad : List.of("", "Upper", "-lead", "a b", "x".repeat(65))) {
      assertThatThrownBy(() -> identity.createAccount(bad))
          .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.INVALID_NAME));
    }
  }

  @Test
  void failedWriteLeavesNothingBehind() {
    accounts.failWrites(true);
    assertThatThrownBy(() -> identity.createAccount("acme")).isInstanceOf(IllegalStateException.class);
    accounts.failWrites(false);

    assertThat(names.size()).isZero();
    assertThat(keys.size()).isZero();
    assertThat(identity.createAccount("acme").account().name()).isEqualTo("acme");
  }

  @Test
  void deleteIsRefusedWhileTheAccountOwnsResources() {
    NewAccount created = identity.createAccount("acme");
    assertThatThrownBy(() -> identity.deleteAccount("acme", id -> List.of("bucket photos")))
        .isInstanceOfSatisfying(IdentityException.class, e -> {
          assertThat(e.reason()).isEqualTo(IdentityException.Reason.DELETE_CONFLICT);
          assertThat(e.getMessage()).contains("bucket photos");
        });

    identity.deleteAccount("acme", id -> List.of());
    assertThat(identity.listAccounts()).isEmpty();
    assertThat(identity.credentials().find(created.credential().accessKeyId())).isEmpty();
    assertThatThrownBy(() -> identity.deleteAccount("acme", id -> List.of()))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.NOT_FOUND));
  }

  @Test
  void adminKeyAuthenticatesAsTheAdministrator() {
    Credential admin = identity.createAdminKey();
    assertThat(identity.credentials().find(admin.accessKeyId()).orElseThrow().accountId())
        .isEqualTo(IdentityService.ADMIN_ACCOUNT_ID);
    assertThat(identity.listAccounts()).isEmpty();
  }
}
