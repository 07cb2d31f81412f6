package dev.canopy.cloud.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.map.IMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A typed view of a grid map whose values are JSON documents. JSON (rather than Java or compact
 * serialization) keeps the stored form readable, versionable and identical in the grid and in
 * the durable store. When the member cannot serve (stopping, no majority, partitions moving) an
 * operation throws {@link GridUnavailableException}; a failed durable write throws the store's
 * exception, and the map is unchanged.
 */
public final class JsonMap<T> implements Table<T> {

  private final IMap<String, String> map;
  private final ObjectMapper json;
  private final Class<T> type;

  JsonMap(IMap<String, String> map, ObjectMapper json, Class<T> type) {
    this.map = map;
    this.json = json;
    this.type = type;
  }

  @Override
  public Optional<T> get(String key) {
    return Optional.ofNullable(GridUnavailableException.guard("grid read", () -> map.get(key))).map(this::decode);
  }

  @Override
  public void put(String key, T value) {
    String encoded = encode(value);
    GridUnavailableException.guard("grid write", () -> {
      map.set(key, encoded);
      return null;
    });
  }

  /** Stores the value unless the key exists; true when stored. Atomic across the grid. */
  @Override
  public boolean putIfAbsent(String key, T value) {
    String encoded = encode(value);
    return GridUnavailableException.guard("grid write", () -> map.putIfAbsent(key, encoded)) == null;
  }

  /**
   * Hazelcast compares the stored JSON text; records serialise deterministically (component
   * order), so equal records give equal text.
   */
  @Override
  public boolean replace(String key, T expected, T value) {
    String expectedText = encode(expected);
    String encoded = encode(value);
    return GridUnavailableException.guard("grid write", () -> map.replace(key, expectedText, encoded));
  }

  /** Every compare-and-set is submitted before any is awaited: their write-throughs overlap. */
  @Override
  public java.util.Map<String, Boolean> replaceAll(java.util.Map<String, Replacement<T>> changes) {
    java.util.Map<String, java.util.concurrent.CompletableFuture<Boolean>> sent = new java.util.LinkedHashMap<>();
    GridUnavailableException.guard("grid write", () -> {
      changes.forEach((key, change) -> sent.put(key,
          map.submitToKey(key, new ReplaceIfEquals(encode(change.expected()), encode(change.value()))).toCompletableFuture()));
      return null;
    });
    java.util.Map<String, Boolean> stored = new java.util.LinkedHashMap<>();
    sent.forEach((key, result) -> stored.put(key, GridUnavailableException.guard("grid write", () -> Pending.await(result))));
    return stored;
  }

  @Override
  public AutoCloseable watch(java.util.function.BiConsumer<String, T> onChange) {
    return MapWatch.on(map, (key, text) -> onChange.accept(key, text == null ? null : decode(text)));
  }

  @Override
  public boolean remove(String key, T expected) {
    String expectedText = encode(expected);
    return GridUnavailableException.guard("grid delete", () -> map.remove(key, expectedText));
  }

  @Override
  public void remove(String key) {
    GridUnavailableException.guard("grid delete", () -> {
      map.delete(key);
      return null;
    });
  }

  /** Every removal sent at once; Hazelcast runs their store deletes on its map-store threads, side by side. */
  @Override
  public void removeAll(java.util.Collection<String> keys) {
    GridUnavailableException.guard("grid delete", () -> {
      List<java.util.concurrent.CompletableFuture<String>> removals = new java.util.ArrayList<>(keys.size());
      for (String key : keys) {
        removals.add(map.removeAsync(key).toCompletableFuture());
      }
      try {
        java.util.concurrent.CompletableFuture.allOf(removals.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      return null;
    });
  }

  @Override
  public Optional<java.util.Set<String>> keysWhere(List<IndexCondition> conditions) {
    return GridUnavailableException.guard("grid query", () -> GridIndexes.keysWhere(map.getName(), map, conditions));
  }

  @Override
  public Optional<java.util.Map<String, T>> valuesInRange(IndexRange range) {
    return GridUnavailableException.guard("grid query", () -> GridIndexes.entriesInRange(map.getName(), map, range))
        .map(found -> {
          java.util.Map<String, T> decoded = new java.util.HashMap<>(found.size() * 2);
          found.forEach((key, text) -> decoded.put(key, decode(text)));
          return decoded;
        });
  }

  @Override
  public java.util.Map<String, T> getAll(java.util.Collection<String> keys) {
    java.util.Map<String, String> found = GridUnavailableException.guard("grid read", () -> map.getAll(new java.util.HashSet<>(keys)));
    java.util.Map<String, T> decoded = new java.util.LinkedHashMap<>();
    found.forEach((key, text) -> decoded.put(key, decode(text)));
    return decoded;
  }

  @Override
  public List<T> values(Predicate<T> filter) {
    return GridUnavailableException.guard("grid read", () -> List.copyOf(map.values())).stream().map(this::decode).filter(filter).toList();
  }

  private String encode(T value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("grid records are plain records and always serialise", e);
    }
  }

  private T decode(String value) {
    try {
      return json.readValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a grid record of " + type.getSimpleName() + " is corrupt", e);
    }
  }
}
