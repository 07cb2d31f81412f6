package dev.canopy.cloud.keypairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.tags.ResourceTags;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyPairServiceTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private final InMemoryTable<KeyPair> table = new InMemoryTable<>();
  private final GridTagStore tags = new GridTagStore(new InMemoryTable<ResourceTags>());
  private final KeyPairService service = new KeyPairService(table, tags, new ResourceIds(new SplittableRandom(7)),
      new SecureRandom(), InstantSource.fixed(Instant.parse("2026-01-02T03:04:05.678901Z")));

  @Test
  void createStoresThePublicLineOnlyAndRefusesDuplicatesAndPpk() {
    CreatedKeyPair created = service.create(A, "laptop", "ed25519", "pem", Map.of("env", "dev"));
    KeyPair stored = service.find(A, "laptop").orElseThrow();
    assertThat(stored).isEqualTo(created.keyPair());
    assertThat(stored.keyPairId()).matches("key-[0-9a-f]{17}");
    assertThat(stored.publicKey()).startsWith("ssh-ed25519 AAAA").endsWith(" laptop");
    assertThat(stored.toString()).doesNotContain("PRIVATE");
    assertThat(created.toString()).doesNotContain("PRIVATE");
    assertThat(stored.createTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    assertThat(tags.tagsOf(A, stored.keyPairId())).containsEntry("env", "dev");
    assertCode(() -> service.create(A, "laptop", "rsa", "pem", Map.of()), "InvalidKeyPair.Duplicate");
    assertCode(() -> service.create(A, "other", "rsa", "ppk", Map.of()), "InvalidParameterValue");
    assertCode(() -> service.create(A, "other", "dsa", "pem", Map.of()), "InvalidParameterValue");
    assertCode(() -> service.create(A, "", "rsa", "pem", Map.of()), "InvalidParameterValue");
    assertCode(() -> service.create(A, "x".repeat(256), "rsa", "pem", Map.of()), "InvalidParameterValue");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void accountsAreIsolated() {
    KeyPair mine = service.create(A, "shared-name", "ed25519", "pem", Map.of()).keyPair();
    // The same name in another account is not a duplicate, and each sees only its own.
    service.create(B, "shared-name", "ed25519", "pem", Map.of());
    assertThat(service.describe(B, List.of(), List.of())).extracting(KeyPair::accountId).containsOnly(B);
    assertCode(() -> service.describe(B, List.of(), List.of(mine.keyPairId())), "InvalidKeyPair.NotFound");
    assertThat(service.exists(B, mine.keyPairId())).isFalse();
    // Deleting another account's key by id is the idempotent success, and changes nothing.
    assertThat(service.delete(B, Optional.empty(), Optional.of(mine.keyPairId()))).isEmpty();
    assertThat(service.find(A, "shared-name")).isPresent();
  }

  @Test
  void describeNamesUnknownKeysAndDeleteIsIdempotent() {
    KeyPair k = service.importKey(A, "imported", ed25519Line(), Map.of());
    assertThat(service.describe(A, List.of("imported"), List.of())).containsExactly(k);
    assertThat(service.describe(A, List.of(), List.of(k.keyPairId()))).containsExactly(k);
    assertCode(() -> service.describe(A, List.of("imported", "nope"), List.of()), "InvalidKeyPair.NotFound");
    tags.put(A, k.keyPairId(), "key-pair", Map.of("a", "b"));
    assertThat(service.delete(A, Optional.of("imported"), Optional.empty())).contains(k.keyPairId());
    assertThat(tags.tagsOf(A, k.keyPairId())).isEmpty();
    assertThat(service.delete(A, Optional.of("imported"), Optional.empty())).isEmpty();
    assertCode(() -> service.delete(A, Optional.empty(), Optional.empty()), "MissingParameter");
  }

  @Test
  void aFailedDurableWriteStoresNothing() {
    table.failWrites(true);
    assertThatThrownBy(() -> service.create(A, "k", "ed25519", "pem", Map.of())).isInstanceOf(IllegalStateException.class);
    table.failWrites(false);
    assertThat(service.find(A, "k")).isEmpty();
  }

  private byte[] ed25519Line() {
    return ("ssh-ed25519 " + SshKeys.generateEd25519(new SecureRandom()).publicKeyBase64() + " me").getBytes(StandardCharsets.UTF_8);
  }

  static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
