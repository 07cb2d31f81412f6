package dev.canopy.cloud.compute;

import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.Table;
import java.util.HashMap;
import java.util.Map;

/** Named in-memory tables, one per name, for {@link ComputeFixture}. */
public final class InMemoryTables implements ComputeFixture.Tables {

  private final Map<String, Table<?>> byName = new HashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> Table<T> table(String name, Class<T> type) {
    return (Table<T>) byName.computeIfAbsent(name, n -> new InMemoryTable<T>());
  }
}
