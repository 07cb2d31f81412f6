package dev.canopy.cloud.grid;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Read-modify-write on a {@link Table} without locks: a bounded compare-and-set loop. */
public final class Tables {

  /**
   * Contention on one record is a handful of concurrent requests; a thousand lost races in a
   * row means something is rewriting the record in a loop, which is a bug.
   */
  public static final int ATTEMPTS_MAX = 1_000;

  private Tables() {}

  /**
   * Applies {@code change} to the record under {@code key} until the write wins.
   *
   * @param change returns the new record, or the same instance to leave it untouched (no write)
   * @return the record as stored after the change; empty when the key is absent
   */
  public static <T> Optional<T> update(Table<T> table, String key, UnaryOperator<T> change) {
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      Optional<T> current = table.get(key);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      T next = change.apply(current.get());
      if (next == current.get() || table.replace(key, current.get(), next)) {
        return Optional.of(next);
      }
    }
    throw new IllegalStateException("no update of " + key + " won in " + ATTEMPTS_MAX + " attempts");
  }
}
