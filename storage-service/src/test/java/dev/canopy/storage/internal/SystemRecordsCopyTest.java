package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-time copy of an earlier layout's records onto the replicated store. */
class SystemRecordsCopyTest {

  @TempDir
  Path dir;

  private LocalStore local;

  /** A target that records what it was given, and can be told to fail after some writes. */
  private static final class Target implements SystemStore {
    final Map<String, String> records = new TreeMap<>();
    int writesBeforeFailure = Integer.MAX_VALUE;

    @Override
    public void put(String namespace, String key, byte[] value) {
      if (writesBeforeFailure-- <= 0) {
        throw new StoreException("no quorum", null);
      }
      records.put(namespace + "/" + key, new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public void delete(String namespace, String key) {
      records.remove(namespace + "/" + key);
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
      return Optional.ofNullable(records.get(namespace + "/" + key)).map(v -> v.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, byte[]> loadAll(String namespace) {
      return new HashMap<>();
    }
  }

  @BeforeEach
  void seed() {
    local = LocalStore.open(dir.resolve("store"));
    local.put("accounts", "default", bytes("acct"));
    local.put("accounts", "other", bytes("acct2"));
    local.put("keypairs", "k", bytes("key"));
    local.put("cloud", "identity", bytes("id"));
  }

  @AfterEach
  void close() {
    local.close();
  }

  @Test
  void copiesEveryRecordButTheLocalOnesOnceAndNeverAgain() {
    SystemRecordsCopy copy = new SystemRecordsCopy(local, Set.of("cloud"));
    Target target = new Target();

    assertThat(copy.copyOnce(target)).isEqualTo(3);
    assertThat(target.records).containsOnly(
        Map.entry("accounts/default", "acct"), Map.entry("accounts/other", "acct2"), Map.entry("keypairs/k", "key"));
    assertThat(copy.done()).isTrue();

    // The controllers changed a record on the replicated store since: a restart must not bring the old one back.
    target.records.put("accounts/default", "changed");
    assertThat(new SystemRecordsCopy(local, Set.of("cloud")).copyOnce(target)).isZero();
    assertThat(target.records).containsEntry("accounts/default", "changed");
  }

  @Test
  void aCopyCutShortLeavesNoMarkerAndRunsAgainInFull() {
    SystemRecordsCopy copy = new SystemRecordsCopy(local, Set.of("cloud"));
    Target target = new Target();
    target.writesBeforeFailure = 1;

    assertThatThrownBy(() -> copy.copyOnce(target)).isInstanceOf(StoreException.class);
    assertThat(copy.done()).isFalse();

    target.writesBeforeFailure = Integer.MAX_VALUE;
    assertThat(copy.copyOnce(target)).isEqualTo(3);
    assertThat(target.records).hasSize(3);
    assertThat(copy.done()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
