package dev.canopy.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.events.DomainEvent;
import dev.canopy.cloud.events.EventJournal;
import dev.canopy.cloud.events.EventLimits;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.core.time.ManualTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Disabling and enabling accounts, rotating their keys, and what the event log says of it. */
class AccountDisableAndKeysTest {

  private final SecureRandom random = new SecureRandom();
  private final ManualTime time = new ManualTime(Instant.parse("2026-12-06T12:00:00Z"));
  private final InMemoryTable<AccessKey> keys = new InMemoryTable<>();
  private final EventJournal journal = new EventJournal(new InMemoryTable<>(), new InMemoryTable<>(), EventLimits.DEFAULT, time);
  private final IdentityService identity = new IdentityService(new InMemoryTable<>(), new InMemoryTable<>(), keys,
      new SecretBox(MasterKey.generate(random), random), random, time).withEvents(journal);
  private final NewAccount acme = identity.createAccount("acme");
  private final String acmeKey = acme.credential().accessKeyId();

  @Test
  void aDisabledAccountsKeysLookUnknownUntilItIsEnabledAgain() {
    Credential admin = identity.createAdminKey();

    assertThat(identity.disable("acme").disabled()).isTrue();
    assertThat(identity.credentials().find(acmeKey)).isEmpty();
    assertThat(identity.credentials().find(admin.accessKeyId())).as("the operator is not an account").isPresent();
    assertThat(identity.listAccounts()).singleElement().satisfies(a -> assertThat(a.disabled()).isTrue());

    assertThat(identity.enable("acme").disabled()).isFalse();
    assertThat(identity.credentials().find(acmeKey)).map(Credential::secretAccessKey).hasValue(acme.credential().secretAccessKey());
  }

  @Test
  void disablingTwiceRecordsOneEvent() {
    identity.disable("acme");
    identity.disable("acme");
    identity.enable("acme");

    assertThat(journal.read(0, 100, null, true).events()).extracting(DomainEvent::type)
        .containsExactly("account.created", "key.created", "account.disabled", "account.enabled");
  }

  @Test
  void anUnknownAccountCannotBeDisabled() {
    assertThatThrownBy(() -> identity.disable("nobody")).isInstanceOfSatisfying(IdentityException.class,
        e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> identity.disable(IdentityService.ADMIN_ACCOUNT_ID)).isInstanceOf(IdentityException.class);
  }

  @Test
  void aKeyIsRotatedByCreatingOneDeactivatingTheOldAndDeletingIt() {
    Credential fresh = identity.createKey("acme");
    assertThat(identity.listKeys("acme")).extracting(KeyView::accessKeyId).containsExactlyInAnyOrder(acmeKey, fresh.accessKeyId());

    identity.deactivateKey("acme", acmeKey);
    assertThat(identity.credentials().find(acmeKey)).isEmpty();
    assertThat(identity.credentials().find(fresh.accessKeyId())).isPresent();
    assertThat(identity.listKeys("acme")).filteredOn(k -> k.accessKeyId().equals(acmeKey))
        .singleElement().satisfies(k -> assertThat(k.status()).isEqualTo("Inactive"));

    identity.deleteKey("acme", acmeKey);
    assertThat(identity.listKeys("acme")).extracting(KeyView::accessKeyId).containsExactly(fresh.accessKeyId());
    assertThat(keys.get(acmeKey)).isEmpty();
  }

  @Test
  void keyListingsNeverCarryASecret() {
    assertThat(identity.listKeys("acme").toString())
        .doesNotContain(acme.credential().secretAccessKey())
        .doesNotContain(keys.get(acmeKey).orElseThrow().sealedSecret());
  }

  @Test
  void anAccountHoldsAtMostTwoKeys() {
    identity.createKey("acme");
    time.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> identity.createKey("acme")).isInstanceOfSatisfying(IdentityException.class,
        e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.LIMIT_EXCEEDED));
  }

  @Test
  void anotherAccountsKeyIsNoSuchKey() {
    NewAccount globex = identity.createAccount("globex");

    assertThatThrownBy(() -> identity.deleteKey("acme", globex.credential().accessKeyId()))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.NO_SUCH_KEY));
    assertThatThrownBy(() -> identity.deactivateKey("acme", "AKIA<script>"))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.getMessage()).doesNotContain("<"));
    assertThat(identity.credentials().find(globex.credential().accessKeyId())).isPresent();
  }

  @Test
  void keyEventsBelongToTheAccountAndNameNoSecret() {
    Credential fresh = identity.createKey("acme");
    identity.deactivateKey("acme", acmeKey);
    identity.deleteKey("acme", acmeKey);

    var events = journal.read(0, 100, acme.account().id(), false).events();
    assertThat(events).extracting(DomainEvent::type)
        .containsExactly("account.created", "key.created", "key.created", "key.deactivated", "key.deleted");
    assertThat(events.toString()).doesNotContain(fresh.secretAccessKey()).doesNotContain(acme.credential().secretAccessKey());
  }
}
