package dev.canopy.cloud.keypairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.limits.ResourceQuota;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.tags.GridTagStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CreateKeyPair's parameter rules, DescribeKeyPairs by name and id, DeleteKeyPair's idempotence
 * and the per-account quota, with EC2's codes: nothing is stored by a refused call.
 */
class KeyPairRulesTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";

  private final InMemoryTable<KeyPair> table = new InMemoryTable<>();
  private final GridTagStore tags = new GridTagStore(new InMemoryTable<>());
  private final KeyPairService service = new KeyPairService(table, tags, new ResourceIds(new SplittableRandom(4)), new SecureRandom(),
      InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));

  private KeyPair create(String account, String name) {
    return service.create(account, name, "ed25519", "pem", Map.of()).keyPair();
  }

  private static void assertError(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
    });
  }

  @Test
  void namesOfUpTo255PrintableAsciiCharactersAreAccepted() {
    assertThat(create(A, "k".repeat(255)).keyName()).hasSize(255);
    assertThat(create(A, "with space and !@#$%^&*()").keyName()).isEqualTo("with space and !@#$%^&*()");
  }

  @Test
  void longEmptyOrNonAsciiNamesAreInvalidParameterValue() {
    for (String bad : List.of("k".repeat(256), "", "tab\there", "clé", "new\nline")) {
      assertError(() -> create(A, bad), "InvalidParameterValue");
    }
    assertThat(table.size()).isZero();
  }

  @Test
  void anUnknownKeyTypeOrFormatIsInvalidParameterValue() {
    assertError(() -> service.create(A, "k", "dsa", "pem", Map.of()), "InvalidParameterValue");
    assertError(() -> service.create(A, "k", "ed25519", "ppk", Map.of()), "InvalidParameterValue");
    assertThat(service.find(A, "k")).isEmpty();
  }

  @Test
  void aBadLaunchTagStoresNoKeyPair() {
    assertError(() -> service.create(A, "k", "ed25519", "pem", Map.of("aws:owner", "me")), "InvalidParameterValue");
    assertError(() -> service.importKey(A, "k", "ssh-ed25519 AAAA".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        Map.of("v", "x".repeat(257))), "InvalidParameterValue");
    assertThat(service.find(A, "k")).isEmpty();
  }

  @Test
  void aNameIsUniquePerAccountOnly() {
    create(A, "shared");
    assertError(() -> create(A, "shared"), "InvalidKeyPair.Duplicate");
    assertThat(create(B, "shared").accountId()).isEqualTo(B);
  }

  @Test
  void namesAreCaseSensitive() {
    create(A, "Deploy");
    assertThat(create(A, "deploy").keyName()).isEqualTo("deploy");
    assertThat(service.describe(A, List.of(), List.of())).extracting(KeyPair::keyName).containsExactly("Deploy", "deploy");
  }

  @Test
  void describeByNameAndIdTogetherShowsEachOnce() {
    KeyPair a = create(A, "a");
    create(A, "b");
    assertThat(service.describe(A, List.of("a"), List.of(a.keyPairId()))).containsExactly(a);
    assertThat(service.describe(A, List.of("a", "a"), List.of())).containsExactly(a);
  }

  @Test
  void describeOfAnUnknownNameOrIdIsNotFoundAndAnotherAccountsKeyIsUnknown() {
    KeyPair a = create(A, "a");
    assertError(() -> service.describe(A, List.of("a", "nope"), List.of()), "InvalidKeyPair.NotFound");
    assertError(() -> service.describe(A, List.of(), List.of("key-0123456789abcdef0")), "InvalidKeyPair.NotFound");
    assertError(() -> service.describe(B, List.of("a"), List.of()), "InvalidKeyPair.NotFound");
    assertError(() -> service.describe(B, List.of(), List.of(a.keyPairId())), "InvalidKeyPair.NotFound");
    assertThat(service.exists(B, a.keyPairId())).isFalse();
  }

  @Test
  void deleteByIdOrNameIsIdempotentAndTakesTheTags() {
    KeyPair k = service.create(A, "k", "ed25519", "pem", Map.of("team", "infra")).keyPair();
    assertThat(service.delete(A, Optional.empty(), Optional.of(k.keyPairId()))).contains(k.keyPairId());
    assertThat(tags.tagsOf(A, k.keyPairId())).isEmpty();
    assertThat(service.delete(A, Optional.empty(), Optional.of(k.keyPairId()))).isEmpty();
    assertThat(service.delete(A, Optional.of("k"), Optional.empty())).isEmpty();
    assertError(() -> service.delete(A, Optional.empty(), Optional.empty()), "MissingParameter");
  }

  @Test
  void anotherAccountCannotDeleteTheKey() {
    KeyPair k = create(A, "k");
    assertThat(service.delete(B, Optional.of("k"), Optional.empty())).isEmpty();
    assertThat(service.delete(B, Optional.empty(), Optional.of(k.keyPairId()))).isEmpty();
    assertThat(service.find(A, "k")).contains(k);
  }

  @Test
  void theQuotaRefusesTheKeyPastItAndFreesOnDelete() {
    KeyPairService limited = service.withQuota(new ResourceQuota(2));
    limited.create(A, "one", "ed25519", "pem", Map.of());
    limited.create(A, "two", "ed25519", "pem", Map.of());
    assertThatThrownBy(() -> limited.create(A, "three", "ed25519", "pem", Map.of()))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("KeyPairLimitExceeded"));
    assertThat(limited.create(B, "three", "ed25519", "pem", Map.of()).keyPair().accountId()).as("per account").isEqualTo(B);
    limited.delete(A, Optional.of("one"), Optional.empty());
    assertThat(limited.create(A, "three", "ed25519", "pem", Map.of()).keyPair().keyName()).isEqualTo("three");
  }

  @Test
  void theStoredPublicLineEndsWithTheKeyName() {
    KeyPair k = create(A, "laptop");
    assertThat(k.publicKey()).startsWith("ssh-ed25519 ").endsWith(" laptop");
    assertThat(k.keyPairId()).matches("key-[0-9a-f]{17}");
  }
}
