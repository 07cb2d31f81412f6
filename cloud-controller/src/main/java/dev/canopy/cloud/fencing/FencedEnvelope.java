package dev.canopy.cloud.fencing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored form of a fenced entry: {@code {"epoch":n,"value":<record>}}, the record's JSON with
 * the epoch of the holder that wrote it. Still one JSON document per key, like every grid map, so
 * the durable store and its tools read it the same way. The epoch map's single record is the same
 * shape without a value ({@code {"epoch":n}}).
 *
 * <p>Pure: runs inside entry processors on whichever member owns the key.
 */
public final class FencedEnvelope {

  static final String EPOCH = "epoch";
  static final String VALUE = "value";

  /** Trees only, no record types: the same on every member whatever it has registered. */
  private static final ObjectMapper TREES = new ObjectMapper();

  private FencedEnvelope() {}

  /** @param valueJson the record as JSON text, as the grid's mapper wrote it */
  public static String wrap(long epoch, String valueJson) {
    ObjectNode envelope = TREES.createObjectNode();
    envelope.put(EPOCH, epoch);
    envelope.set(VALUE, parse(valueJson));
    return envelope.toString();
  }

  static String epochRecord(long epoch) {
    return TREES.createObjectNode().put(EPOCH, epoch).toString();
  }

  /** The writer's epoch recorded in an envelope (or the epoch record). */
  static long epochOf(String stored) {
    JsonNode epoch = parse(stored).get(EPOCH);
    if (epoch == null || !epoch.canConvertToExactIntegral() || epoch.asLong() < 0) {
      throw new IllegalStateException("a fenced record has no valid epoch: " + stored);
    }
    return epoch.asLong();
  }

  /** The record inside an envelope, as a JSON tree. */
  public static JsonNode valueOf(String stored) {
    JsonNode value = parse(stored).get(VALUE);
    if (value == null) {
      throw new IllegalStateException("a fenced record has no value: " + stored);
    }
    return value;
  }

  /**
   * Compares records as trees, not text: equal records compare equal whatever the key order of the
   * envelope they were stored in.
   */
  static boolean sameValue(String stored, String valueJson) {
    return valueOf(stored).equals(parse(valueJson));
  }

  private static JsonNode parse(String json) {
    try {
      return TREES.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a fenced record is not JSON", e);
    }
  }
}
