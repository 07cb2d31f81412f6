package dev.canopy.cloud.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

/**
 * Reads a record's account joined with one other attribute ({@link #of}) for a hash index: a
 * lookup of one account's records with some values of that attribute is then one index bucket per
 * value, sized by its answer. Asked as two conditions ANDed, Hazelcast reads both index results in
 * full (copied, by default) and intersects them: every entry of the account, ten thousand for an
 * account that size, to keep the hundred asked for. {@link GridIndexes#keysWhere} asks the joined
 * attribute instead wherever both conditions are there.
 */
abstract class AccountJoinedExtractor implements ValueExtractor<Object, Object> {

  private final String accountField;
  private final String field;
  private final boolean keysOfObject;

  AccountJoinedExtractor(String accountField, String field, boolean keysOfObject) {
    this.accountField = accountField;
    this.field = field;
    this.keysOfObject = keysOfObject;
  }

  /** The indexed value: account ids are digits, so the slash cannot be part of the account. */
  static String of(String accountId, String value) {
    return accountId + "/" + value;
  }

  @Override
  public void extract(Object target, Object argument, ValueCollector collector) {
    if (!(target instanceof String text)) {
      throw new IllegalStateException("grid maps hold JSON text; found " + (target == null ? "null" : target.getClass()));
    }
    JsonNode record = JsonFieldExtractor.recordOf(JsonFieldExtractor.parse(text));
    JsonNode account = record.get(accountField);
    JsonNode value = record.get(field);
    if (account == null || account.isNull() || value == null || value.isNull()) {
      return;
    }
    if (keysOfObject) {
      value.fieldNames().forEachRemaining(key -> collector.addObject(of(account.asText(), key)));
    } else {
      collector.addObject(of(account.asText(), value.asText()));
    }
  }

  /** Instances: owner and state. */
  public static final class OwnerState extends AccountJoinedExtractor {
    public OwnerState() {
      super("ownerId", "state", false);
    }
  }

  /** Tags: the account and each tag key of the resource. */
  public static final class AccountTagKeys extends AccountJoinedExtractor {
    public AccountTagKeys() {
      super("accountId", "tags", true);
    }
  }
}
