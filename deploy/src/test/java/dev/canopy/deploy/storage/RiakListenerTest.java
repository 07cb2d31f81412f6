package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.RiakSettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** Where the Riak interface listens by default, and whom it admits when bound elsewhere. */
class RiakListenerTest {

  @Test
  void itListensOnTheRolesLoopbackAddressElseOn127001() {
    CanopyConfig config = CanopyConfig.defaults();
    assertThat(RiakListener.host(config.withBindAddress("127.0.9.102"))).isEqualTo("127.0.9.102");
    assertThat(RiakListener.host(config.withBindAddress("0.0.0.0"))).isEqualTo("127.0.0.1");
    CanopyConfig elsewhere = new CanopyConfig(null, null, "127.0.0.1", null, null, null, null, new RiakSettings("0.0.0.0"), null, null, null, null, null, null);
    assertThat(RiakListener.host(elsewhere)).isEqualTo("0.0.0.0");
  }

  @Test
  void awayFromLoopbackOnlyTheAdministratorsKeyWithItsSecretIsAdmitted() {
    Map<String, Credential> keys = Map.of(
        "AKIAADMIN", new Credential("AKIAADMIN", "admin-secret", IdentityService.ADMIN_ACCOUNT_ID),
        "AKIATENANT", new Credential("AKIATENANT", "tenant-secret", "123456789012"));
    CredentialLookup lookup = id -> Optional.ofNullable(keys.get(id));
    BiPredicate<String, String> admits = RiakListener.adminOnly(lookup);

    assertThat(admits.test("AKIAADMIN", "admin-secret")).isTrue();
    assertThat(admits.test("AKIAADMIN", "wrong")).isFalse();
    assertThat(admits.test("AKIATENANT", "tenant-secret")).isFalse();
    assertThat(admits.test("AKIAUNKNOWN", "admin-secret")).isFalse();
  }
}
