package dev.canopy.cloud.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

/**
 * Reads one top-level field of a grid record's JSON for Hazelcast's indexes ({@link GridIndexes}):
 * the text of a scalar field, or, with {@code keysOfObject}, every key of an object field (a
 * many-valued attribute). A fenced entry ({@code {"epoch":n,"value":<record>}}, see {@code
 * FencedEnvelope}) is read inside its value, so a map indexes the same way fenced or plain. A
 * missing or null field gives no value. Runs on whichever member owns the entry, on every write.
 */
abstract class JsonFieldExtractor implements ValueExtractor<Object, Object> {

  /** Trees only: the extractor must not depend on which record types a member registered. */
  private static final ObjectMapper TREES = new ObjectMapper();

  private final String field;
  private final boolean keysOfObject;

  JsonFieldExtractor(String field, boolean keysOfObject) {
    this.field = field;
    this.keysOfObject = keysOfObject;
  }

  @Override
  public void extract(Object target, Object argument, ValueCollector collector) {
    if (!(target instanceof String text)) {
      throw new IllegalStateException("grid maps hold JSON text; found " + (target == null ? "null" : target.getClass()));
    }
    JsonNode value = recordOf(parse(text)).get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (keysOfObject) {
      value.fieldNames().forEachRemaining(collector::addObject);
    } else {
      collector.addObject(value.asText());
    }
  }

  /** The record inside a fenced envelope, which has exactly an epoch and an object value. */
  static JsonNode recordOf(JsonNode root) {
    JsonNode inner = root.get("value");
    return root.size() == 2 && root.has("epoch") && inner != null && inner.isObject() ? inner : root;
  }

  /**
   * The last record parsed on this thread. Hazelcast runs every extractor of an entry one after
   * the other on the partition's thread, each with the same text: one parse serves all of them
   * (four per instance write) instead of one each. Trees are only read here.
   */
  private static final ThreadLocal<Parsed> LAST = new ThreadLocal<>();

  private record Parsed(String text, JsonNode tree) {}

  static JsonNode parse(String text) {
    Parsed last = LAST.get();
    if (last != null && last.text().equals(text)) {
      return last.tree();
    }
    JsonNode tree = readTree(text);
    LAST.set(new Parsed(text, tree));
    return tree;
  }

  private static JsonNode readTree(String text) {
    try {
      return TREES.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a grid record is not JSON", e);
    }
  }

  /** Instances: the owning account. */
  public static final class OwnerId extends JsonFieldExtractor {
    public OwnerId() {
      super("ownerId", false);
    }
  }

  /** Instances: the state, as its enum name. */
  public static final class State extends JsonFieldExtractor {
    public State() {
      super("state", false);
    }
  }

  /** Instances: the image launched. */
  public static final class ImageId extends JsonFieldExtractor {
    public ImageId() {
      super("imageId", false);
    }
  }

  /** Tags: the owning account. */
  public static final class AccountId extends JsonFieldExtractor {
    public AccountId() {
      super("accountId", false);
    }
  }

  /** Tags: every tag key of the resource. */
  public static final class TagKeys extends JsonFieldExtractor {
    public TagKeys() {
      super("tags", true);
    }
  }
}
