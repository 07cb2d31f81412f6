package dev.canopy.cloud.grid;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Compare-and-set as an entry processor, so {@link JsonMap#replaceAll} can send many at once
 * ({@code submitToKey}) where {@code IMap.replace} would wait for each. Runs on the key's owner,
 * atomically; travels by Java serialization and holds only strings.
 */
final class ReplaceIfEquals implements EntryProcessor<String, String, Boolean> {

  private final String expected;
  private final String value;

  ReplaceIfEquals(String expected, String value) {
    this.expected = expected;
    this.value = value;
  }

  @Override
  public Boolean process(Map.Entry<String, String> entry) {
    if (!expected.equals(entry.getValue())) {
      return false;
    }
    entry.setValue(value);
    return true;
  }
}
