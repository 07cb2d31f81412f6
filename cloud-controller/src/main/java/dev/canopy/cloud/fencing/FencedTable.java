package dev.canopy.cloud.fencing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.canopy.core.cache.KeyedMemo;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A {@link Table} whose every write carries the writer's fencing epoch and is refused ({@link
 * StaleEpochException}) when the entry was last written with a newer one. Each entry is stored as
 * {@code {"epoch":n,"value":<record>}} (see {@link FencedEnvelope}); only fenced maps use that form,
 * so a map is either fenced or plain for its whole life.
 *
 * <p>Domain services take a plain {@code Table<T>} and need not know about fencing: the controller
 * wires a fenced one in, with a supplier of the current holder's epoch that throws when this
 * controller does not hold the lease (so a non-holder never writes). {@link
 * dev.canopy.cloud.grid.Tables#update} works unchanged: {@link #replace} is a fenced
 * compare-and-set.
 *
 * <p>Every operation also throws {@link NoMajorityException} when this member's cluster lacks a
 * majority, and a write throws Hazelcast's {@code IndeterminateOperationStateException} when its
 * backups did not acknowledge in time (it may or may not have happened; read and decide again).
 */
public final class FencedTable<T> implements Table<T> {

  private final String name;
  private final IMap<String, String> map;
  private final ObjectMapper json;
  private final Class<T> type;
  private final LongSupplier writerEpoch;
  private final KeyedMemo<String, T> decodings;

  private FencedTable(String name, IMap<String, String> map, ObjectMapper json, Class<T> type, LongSupplier writerEpoch,
      KeyedMemo<String, T> decodings) {
    this.name = name;
    this.map = map;
    this.json = json;
    this.type = type;
    this.writerEpoch = writerEpoch;
    this.decodings = decodings;
  }

  /**
   * @param writerEpoch read at every write: the epoch this controller minted for its current lease;
   *     it should throw when the lease is not held or {@link FenceCheck} says the epoch is spent
   * @throws NoMajorityException when this member's cluster lacks a majority (the map loads from the
   *     stores when first opened, and a minority is refused that too)
   */
  public static <T> FencedTable<T> open(Grid grid, String name, Class<T> type, LongSupplier writerEpoch) {
    return open(grid, name, type, writerEpoch, KeyedMemo.none());
  }

  /**
   * A table whose reads by key (get, getAll, ranges, watches) reuse the records {@code decodings}
   * remembers for an unchanged stored text: for immutable records read far more often than they
   * change. A full scan ({@link #values}) decodes without it, so it does not flush the memo.
   */
  public static <T> FencedTable<T> open(Grid grid, String name, Class<T> type, LongSupplier writerEpoch,
      KeyedMemo<String, T> decodings) {
    IMap<String, String> map = Majority.require("opening " + name, () -> grid.entries(name));
    return new FencedTable<>(name, map, grid.json(), type, writerEpoch, decodings);
  }

  @Override
  public Optional<T> get(String key) {
    return Optional.ofNullable(Majority.require("read", () -> map.get(key))).map(stored -> decode(key, stored));
  }

  /** The epoch of the holder that last wrote the entry; empty when the key is absent. */
  public OptionalLong epochOf(String key) {
    String stored = Majority.require("read", () -> map.get(key));
    return stored == null ? OptionalLong.empty() : OptionalLong.of(FencedEnvelope.epochOf(stored));
  }

  @Override
  public void put(String key, T value) {
    long epoch = epoch();
    check(key, epoch, write(key, new FencedWrites.Put(encode(value), epoch)));
  }

  /** Stores unless the key exists; true when stored. Refused as stale before reported present. */
  @Override
  public boolean putIfAbsent(String key, T value) {
    long epoch = epoch();
    return check(key, epoch, write(key, new FencedWrites.PutIfAbsent(encode(value), epoch)));
  }

  @Override
  public boolean replace(String key, T expected, T value) {
    long epoch = epoch();
    return check(key, epoch, write(key, new FencedWrites.Replace(encode(expected), encode(value), epoch)));
  }

  /**
   * Fenced compare-and-sets, all submitted before any is awaited so their write-throughs overlap;
   * a refusal as stale is thrown once every one has answered.
   */
  @Override
  public java.util.Map<String, Boolean> replaceAll(java.util.Map<String, Replacement<T>> changes) {
    long epoch = epoch();
    java.util.Map<String, java.util.concurrent.CompletableFuture<FencedWrites.Outcome>> sent = new java.util.LinkedHashMap<>();
    Majority.require("fenced write", () -> {
      changes.forEach((key, change) -> sent.put(key, map.submitToKey(key,
          new FencedWrites.Replace(encode(change.expected()), encode(change.value()), epoch)).toCompletableFuture()));
      return null;
    });
    java.util.Map<String, Boolean> stored = new java.util.LinkedHashMap<>();
    RuntimeException stale = null;
    for (var result : sent.entrySet()) {
      try {
        stored.put(result.getKey(), check(result.getKey(), epoch, Majority.require("fenced write", () -> dev.canopy.cloud.grid.Pending.await(result.getValue()))));
      } catch (StaleEpochException e) {
        stale = e;
      }
    }
    if (stale != null) {
      throw stale;
    }
    return stored;
  }

  @Override
  public AutoCloseable watch(java.util.function.BiConsumer<String, T> onChange) {
    return dev.canopy.cloud.grid.MapWatch.on(map, (key, stored) -> onChange.accept(key, stored == null ? null : decode(key, stored)));
  }

  @Override
  public void remove(String key) {
    long epoch = epoch();
    check(key, epoch, write(key, new FencedWrites.Remove(epoch)));
  }

  @Override
  public Optional<java.util.Set<String>> keysWhere(List<dev.canopy.cloud.grid.IndexCondition> conditions) {
    return Majority.require("read", () -> dev.canopy.cloud.grid.GridIndexes.keysWhere(name, map, conditions));
  }

  @Override
  public Optional<java.util.Map<String, T>> valuesInRange(dev.canopy.cloud.grid.IndexRange range) {
    return Majority.require("read", () -> dev.canopy.cloud.grid.GridIndexes.entriesInRange(name, map, range)).map(found -> {
      java.util.Map<String, T> decoded = new java.util.HashMap<>(found.size() * 2);
      found.forEach((key, stored) -> decoded.put(key, decode(key, stored)));
      return decoded;
    });
  }

  /** One round trip for all the keys, as {@link dev.canopy.cloud.grid.JsonMap#getAll} does. */
  @Override
  public java.util.Map<String, T> getAll(java.util.Collection<String> keys) {
    java.util.Map<String, String> found = Majority.require("read", () -> map.getAll(new java.util.HashSet<>(keys)));
    java.util.Map<String, T> decoded = new java.util.LinkedHashMap<>();
    found.forEach((key, stored) -> decoded.put(key, decode(key, stored)));
    return decoded;
  }

  @Override
  public List<T> values(Predicate<T> filter) {
    return Majority.require("read", () -> List.copyOf(map.values())).stream()
        .map(this::decode)
        .filter(filter)
        .toList();
  }

  private long epoch() {
    long epoch = writerEpoch.getAsLong();
    if (epoch < 1) {
      throw new IllegalStateException("fencing epochs start at 1; got " + epoch + " for a write to " + name);
    }
    return epoch;
  }

  private FencedWrites.Outcome write(String key, EntryProcessor<String, String, FencedWrites.Outcome> write) {
    return Majority.require("fenced write", () -> map.executeOnKey(key, write));
  }

  /** True when written, false on a mismatch; throws when a newer holder wrote the entry. */
  private boolean check(String key, long epoch, FencedWrites.Outcome outcome) {
    return switch (outcome.kind()) {
      case WRITTEN -> true;
      case MISMATCH -> false;
      case STALE -> throw new StaleEpochException(name, key, epoch, outcome.entryEpoch());
    };
  }

  private String encode(T value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("grid records are plain records and always serialise", e);
    }
  }

  private T decode(String key, String stored) {
    return decodings.apply(key, stored, this::decode);
  }

  private T decode(String stored) {
    try {
      return json.treeToValue(FencedEnvelope.valueOf(stored), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a fenced record of " + type.getSimpleName() + " in " + name + " is corrupt", e);
    }
  }
}
