package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {

  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsSurviveReopenAndNamespacesAreSeparate() {
    try (LocalStore store = LocalStore.open(dir)) {
      store.put("accounts", "a1", b("one"));
      store.put("accounts", "a2", b("two"));
      store.put("accountsX", "a3", b("other namespace"));
      store.put("images", "i1", b("img"));
      store.delete("accounts", "a2");
      store.delete("accounts", "missing");
    }
    try (LocalStore store = LocalStore.open(dir)) {
      assertThat(store.loadAll("accounts")).containsOnlyKeys("a1");
      assertThat(store.get("accounts", "a1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("one")));
      assertThat(store.get("accounts", "a2")).isEmpty();
      assertThat(store.loadAll("images")).containsOnlyKeys("i1");
      assertThat(store.loadAll("nothing")).isEmpty();
    }
  }

  @Test
  void aBatchIsWrittenWholeAndSurvivesReopenAndABadRecordWritesNothing() {
    try (LocalStore store = LocalStore.open(dir)) {
      store.put("days", "d1", b("old"));
      store.putAll(List.of(new SystemStore.Write("days", "d1", b("new")), new SystemStore.Write("days", "d2", b("two")),
          new SystemStore.Write("ledgers", "l1", b("ledger"))));
      assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("days", "d3", b("three")),
          new SystemStore.Write("a\0b", "k", b("v"))))).isInstanceOf(IllegalArgumentException.class);
    }
    try (LocalStore store = LocalStore.open(dir)) {
      assertThat(store.loadAll("days")).containsOnlyKeys("d1", "d2");
      assertThat(store.get("days", "d1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("new")));
      assertThat(store.get("ledgers", "l1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("ledger")));
    }
  }

  @Test
  void aMultiGetFindsWhatGetsFindInItsNamespaceOnly() {
    try (LocalStore store = LocalStore.open(dir)) {
      store.put("ledgers", "a/2026-11", b("one"));
      store.put("ledgers", "b/2026-11", b("two"));
      store.put("ledgersX", "c/2026-11", b("other namespace"));
      store.put("days", "d/2026-11", b("other namespace too"));

      var found = store.getAll("ledgers", List.of("a/2026-11", "b/2026-11", "c/2026-11", "d/2026-11", "missing"));

      assertThat(found).containsOnlyKeys("a/2026-11", "b/2026-11");
      assertThat(found.get("a/2026-11")).isEqualTo(b("one"));
      assertThat(found.get("b/2026-11")).isEqualTo(b("two"));
      assertThat(store.getAll("ledgers", List.of())).isEmpty();
    }
  }

  @Test
  void closedStoreRefusesWrites() {
    LocalStore store = LocalStore.open(dir);
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> store.put("ns", "k", b("v"))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("ns", "k", b("v"))))).isInstanceOf(StoreException.class);
  }

  @Test
  void badNamespaceIsABug() {
    try (LocalStore store = LocalStore.open(dir)) {
      assertThatThrownBy(() -> store.put("a\0b", "k", b("v"))).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
