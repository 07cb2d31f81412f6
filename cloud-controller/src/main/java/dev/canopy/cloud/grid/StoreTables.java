package dev.canopy.cloud.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tables straight on a durable store, in exactly the form the grid's write-through leaves there,
 * for the one writer that runs before any grid: {@code canopy init} (and the cloud in a box's first
 * start) seeding a new cloud's records. Starting a Hazelcast member for that took seconds; a
 * controller's grid later loads these records like any others. Not for concurrent writers: the
 * compare-and-set operations are atomic only within this object.
 */
public final class StoreTables implements TableSource {

  private final SystemStore store;
  private final ObjectMapper json = GridJson.create();

  public StoreTables(SystemStore store) {
    this.store = store;
  }

  @Override
  public <T> Table<T> map(String name, Class<T> type) {
    return new StoreTable<>(name, type);
  }

  private final class StoreTable<T> implements Table<T> {

    private final String namespace;
    private final Class<T> type;

    private StoreTable(String namespace, Class<T> type) {
      this.namespace = namespace;
      this.type = type;
    }

    @Override
    public Optional<T> get(String key) {
      return store.get(namespace, key).map(this::decode);
    }

    @Override
    public void put(String key, T value) {
      store.put(namespace, key, encode(value));
    }

    @Override
    public boolean putIfAbsent(String key, T value) {
      synchronized (StoreTables.this) {
        if (store.get(namespace, key).isPresent()) {
          return false;
        }
        put(key, value);
        return true;
      }
    }

    @Override
    public boolean replace(String key, T expected, T value) {
      synchronized (StoreTables.this) {
        Optional<T> current = get(key);
        if (current.isEmpty() || !Objects.equals(current.get(), expected)) {
          return false;
        }
        put(key, value);
        return true;
      }
    }

    @Override
    public void remove(String key) {
      store.delete(namespace, key);
    }

    @Override
    public boolean remove(String key, T expected) {
      synchronized (StoreTables.this) {
        if (!get(key).map(current -> Objects.equals(current, expected)).orElse(false)) {
          return false;
        }
        remove(key);
        return true;
      }
    }

    @Override
    public List<T> values(Predicate<T> filter) {
      return store.loadAll(namespace).values().stream().map(this::decode).filter(filter).toList();
    }

    private byte[] encode(T value) {
      try {
        return json.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("grid records are plain records and always serialise", e);
      }
    }

    private T decode(byte[] value) {
      try {
        return json.readValue(new String(value, StandardCharsets.UTF_8), type);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a stored record of " + type.getSimpleName() + " is corrupt", e);
      }
    }
  }
}
