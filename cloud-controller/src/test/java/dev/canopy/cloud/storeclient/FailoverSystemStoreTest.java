package dev.canopy.cloud.storeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Calls move to the next storage node only when the one asked could not take them. */
class FailoverSystemStoreTest {

  /** One storage node's endpoint: answers, or fails in the way it is told. */
  private static final class Node implements SystemStore {
    final String name;
    final List<String> calls;
    StoreException failure;

    Node(String name, List<String> calls) {
      this.name = name;
      this.calls = calls;
    }

    private void call(String what) {
      calls.add(name + ":" + what);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
      call("put");
    }

    @Override
    public void delete(String namespace, String key) {
      call("delete");
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
      call("get");
      return Optional.of(name.getBytes());
    }

    @Override
    public Map<String, byte[]> getAll(String namespace, java.util.Collection<String> keys) {
      call("getAll");
      Map<String, byte[]> found = new java.util.HashMap<>();
      keys.forEach(key -> found.put(key, name.getBytes()));
      return found;
    }

    @Override
    public Map<String, byte[]> loadAll(String namespace) {
      call("loadAll");
      return Map.of();
    }
  }

  private final List<String> calls = new ArrayList<>();
  private final Node a = new Node("a", calls);
  private final Node b = new Node("b", calls);
  private final Node c = new Node("c", calls);
  private final FailoverSystemStore store = new FailoverSystemStore(List.of(a, b, c),
      List.of(URI.create("https://a:8777"), URI.create("https://b:8777"), URI.create("https://c:8777")));

  @Test
  void anUnreachableNodeIsPassedOverAndTheOneThatAnsweredIsAskedFirstFromThenOn() {
    a.failure = new StoreException("connection refused", null, true);

    assertThat(store.get("ns", "k")).map(String::new).contains("b");
    store.put("ns", "k", new byte[] {1});

    assertThat(calls).containsExactly("a:get", "b:get", "b:put");
  }

  @Test
  void a503IsPassedOverTooAndOnlyWhenEveryNodeFailsTheCallFails() {
    a.failure = new StoreException("refused with 503", null, true);
    b.failure = new StoreException("refused with 503", null, true);
    c.failure = new StoreException("unreachable", null, true);

    assertThatThrownBy(() -> store.delete("ns", "k")).isSameAs(c.failure);
    assertThat(calls).containsExactly("a:delete", "b:delete", "c:delete");
  }

  @Test
  void aFailureWithAnUnknownOutcomeIsNotSentElsewhere() {
    a.failure = new StoreException("no answer within 10 s; its outcome is unknown", null, false);

    assertThatThrownBy(() -> store.put("ns", "k", new byte[] {1})).isSameAs(a.failure);
    assertThat(calls).containsExactly("a:put");
  }

  @Test
  void aBatchReadFailsOverWholeToTheNextNode() {
    a.failure = new StoreException("refused with 503", null, true);

    assertThat(store.getAll("ns", List.of("k1", "k2"))).containsOnlyKeys("k1", "k2").allSatisfy((key, value) ->
        assertThat(new String(value)).isEqualTo("b"));
    assertThat(calls).as("one batch call per node asked, not a get per key").containsExactly("a:getAll", "b:getAll");
  }
}
