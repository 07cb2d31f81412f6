package dev.canopy.cloud.grid;

import static dev.canopy.cloud.grid.IndexedAttributes.ACCOUNT_ID;
import static dev.canopy.cloud.grid.IndexedAttributes.ACCOUNT_TAG_KEYS;
import static dev.canopy.cloud.grid.IndexedAttributes.IMAGE_ID;
import static dev.canopy.cloud.grid.IndexedAttributes.INSTANCES_MAP;
import static dev.canopy.cloud.grid.IndexedAttributes.LAUNCH_KEY;
import static dev.canopy.cloud.grid.IndexedAttributes.OWNER_ID;
import static dev.canopy.cloud.grid.IndexedAttributes.OWNER_STATE;
import static dev.canopy.cloud.grid.IndexedAttributes.STATE;
import static dev.canopy.cloud.grid.IndexedAttributes.TAGS_MAP;
import static dev.canopy.cloud.grid.IndexedAttributes.TAG_KEYS;

import com.hazelcast.config.AttributeConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.MapConfig;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.query.extractor.ValueExtractor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The indexes the grid keeps on its JSON maps, so that a lookup by account, state, image or tag
 * key finds keys without reading and decoding every record, and a listing finds the keys of one
 * account's instances after its cursor in launch order (a sorted index on {@link LaunchKeys}). Hazelcast maintains them in each
 * partition together with the entry (on every write, on load from the durable store at start, and
 * on migration when a controller joins or leaves), so they are never behind the records, whichever
 * controller wrote. Each attribute is read from the record's JSON by a {@link JsonFieldExtractor}.
 *
 * <p>The attribute names are the JSON field names of the records; the domain's fallback for a
 * table without indexes must read the same values (checked by {@code GridIndexesTest}).
 */
public final class GridIndexes {

  /** Hash indexes: lookups by equality. */
  private static final Map<String, Map<String, Class<? extends ValueExtractor<Object, Object>>>> ATTRIBUTES = Map.of(
      INSTANCES_MAP, Map.of(OWNER_ID, JsonFieldExtractor.OwnerId.class, STATE, JsonFieldExtractor.State.class,
          IMAGE_ID, JsonFieldExtractor.ImageId.class, OWNER_STATE, AccountJoinedExtractor.OwnerState.class),
      TAGS_MAP, Map.of(ACCOUNT_ID, JsonFieldExtractor.AccountId.class, TAG_KEYS, JsonFieldExtractor.TagKeys.class,
          ACCOUNT_TAG_KEYS, AccountJoinedExtractor.AccountTagKeys.class));

  /** An account attribute, another attribute, and the index that joins the two ({@link AccountJoinedExtractor}). */
  private record Joined(String account, String other, String joined) {}

  private static final Map<String, Joined> JOINED = Map.of(
      INSTANCES_MAP, new Joined(OWNER_ID, STATE, OWNER_STATE),
      TAGS_MAP, new Joined(ACCOUNT_ID, TAG_KEYS, ACCOUNT_TAG_KEYS));
  /** Sorted indexes: lookups by range, as a listing pages through its owner's instances in launch order. */
  private static final Map<String, Map<String, Class<? extends ValueExtractor<Object, Object>>>> SORTED = Map.of(
      INSTANCES_MAP, Map.of(LAUNCH_KEY, LaunchKeyExtractor.class));

  private GridIndexes() {}

  /** Adds, for each indexed map, a copy of the wildcard {@code durable} config with its attributes and hash indexes. */
  static void addTo(Config config, MapConfig durable) {
    ATTRIBUTES.forEach((map, attributes) -> {
      MapConfig indexed = new MapConfig(durable).setName(map);
      attributes.forEach((name, extractor) -> indexed
          .addAttributeConfig(new AttributeConfig(name, extractor.getName()))
          .addIndexConfig(new IndexConfig(IndexType.HASH, name)));
      SORTED.getOrDefault(map, Map.of()).forEach((name, extractor) -> indexed
          .addAttributeConfig(new AttributeConfig(name, extractor.getName()))
          .addIndexConfig(new IndexConfig(IndexType.SORTED, name)));
      config.addMapConfig(indexed);
    });
  }

  /**
   * The entries whose sorted attribute lies in {@code range}, through the sorted index of {@code
   * mapName}, in one query that returns the values too (a separate {@code getAll} would cost a
   * partition-hash of every key for each of the 271 partitions); empty when the attribute has no
   * sorted index there. The range is one bounded scan of the index: its cost follows the entries in
   * the range, not the map's size.
   */
  public static Optional<Map<String, String>> entriesInRange(String mapName, IMap<String, String> map, IndexRange range) {
    if (!SORTED.getOrDefault(mapName, Map.of()).containsKey(range.attribute())) {
      return Optional.empty();
    }
    // between is inclusive; the least text above fromExclusive is itself followed by U+0000.
    Predicate<String, String> between = Predicates.between(range.attribute(), range.fromExclusive() + '\u0000', range.toInclusive());
    Map<String, String> found = new java.util.HashMap<>();
    map.entrySet(between).forEach(e -> found.put(e.getKey(), e.getValue()));
    return Optional.of(found);
  }

  /**
   * The keys meeting every condition, through the indexes of {@code mapName}; empty when one of the
   * attributes is not indexed there.
   */
  public static Optional<Set<String>> keysWhere(String mapName, IMap<String, String> map, List<IndexCondition> conditions) {
    Map<String, Class<? extends ValueExtractor<Object, Object>>> indexed = ATTRIBUTES.getOrDefault(mapName, Map.of());
    if (conditions.isEmpty() || !conditions.stream().allMatch(c -> indexed.containsKey(c.attribute()))) {
      return Optional.empty();
    }
    Predicate<String, String>[] parts = withAccountJoined(mapName, conditions).stream()
        .map(GridIndexes::predicate).toArray(Predicate[]::new);
    Predicate<String, String> all = parts.length == 1 ? parts[0] : Predicates.and(parts);
    return Optional.of(Set.copyOf(map.keySet(all)));
  }

  /**
   * One account's records with some values of another attribute, asked as two conditions, become
   * one condition on the attribute joining them ({@link AccountJoinedExtractor}), answered from the
   * matching index buckets alone instead of by intersecting the account's every entry.
   */
  static List<IndexCondition> withAccountJoined(String mapName, List<IndexCondition> conditions) {
    Joined joined = JOINED.get(mapName);
    if (joined == null) {
      return conditions;
    }
    IndexCondition account = conditions.stream().filter(c -> c.attribute().equals(joined.account())).findFirst().orElse(null);
    IndexCondition other = conditions.stream().filter(c -> c.attribute().equals(joined.other())).findFirst().orElse(null);
    if (account == null || other == null || account.anyOf().size() != 1) {
      return conditions;
    }
    String accountId = account.anyOf().iterator().next();
    List<IndexCondition> rewritten = new java.util.ArrayList<>();
    rewritten.add(new IndexCondition(joined.joined(),
        other.anyOf().stream().map(v -> AccountJoinedExtractor.of(accountId, v)).collect(java.util.stream.Collectors.toSet())));
    conditions.stream().filter(c -> c != account && c != other).forEach(rewritten::add);
    return rewritten;
  }

  private static Predicate<String, String> predicate(IndexCondition condition) {
    List<String> values = List.copyOf(condition.anyOf());
    return values.size() == 1
        ? Predicates.equal(condition.attribute(), values.get(0))
        : Predicates.in(condition.attribute(), values.toArray(String[]::new));
  }
}
