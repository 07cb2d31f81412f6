package dev.canopy.storage.kv.riak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.Quorum;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Bucket properties as Riak's JSON: {@code {"props":{"name":..,"n_val":3,"r":"quorum",...}}}.
 * Quorum words print as strings and counts as numbers, as Riak prints them. A PUT changes only
 * the properties it names; every problem is a 400 naming the property.
 */
final class BucketPropsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BucketPropsJson() {}

  static String render(String bucket, BucketProps props) {
    ObjectNode fields = JSON.createObjectNode()
        .put("name", bucket)
        .put("n_val", props.nVal())
        .put("allow_mult", props.allowMult())
        .put("last_write_wins", props.lastWriteWins());
    quorum(fields, "r", props.r());
    quorum(fields, "w", props.w());
    quorum(fields, "dw", props.dw());
    quorum(fields, "pr", props.pr());
    quorum(fields, "pw", props.pw());
    ObjectNode root = JSON.createObjectNode();
    root.set("props", fields);
    return root.toString();
  }

  private static void quorum(ObjectNode fields, String name, Quorum value) {
    if (value.kind() == Quorum.Kind.COUNT) {
      fields.put(name, value.count());
    } else {
      fields.put(name, value.toString());
    }
  }

  /** {@code current} with the properties the body sets; the body must be {"props":{...}}. */
  static BucketProps apply(byte[] body, BucketProps current) {
    JsonNode props;
    try {
      props = JSON.readTree(body).get("props");
    } catch (IOException | RuntimeException e) {
      props = null;
    }
    if (props == null || !props.isObject()) {
      throw RiakProblem.badRequest("bucket PUT must be a JSON object of the form:\n{\"props\":{...bucket properties...}}");
    }
    int nVal = current.nVal();
    Quorum r = current.r();
    Quorum w = current.w();
    Quorum dw = current.dw();
    Quorum pr = current.pr();
    Quorum pw = current.pw();
    boolean allowMult = current.allowMult();
    boolean lastWriteWins = current.lastWriteWins();
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "name" -> { } // Riak's GET prints it; a client sending back what it read is fine.
        case "n_val" -> nVal = nVal(value);
        case "r" -> r = quorum(name, value);
        case "w" -> w = quorum(name, value);
        case "dw" -> dw = quorum(name, value);
        case "pr" -> pr = quorum(name, value);
        case "pw" -> pw = quorum(name, value);
        case "allow_mult" -> allowMult = bool(name, value);
        case "last_write_wins" -> lastWriteWins = bool(name, value);
        default -> throw RiakProblem.badRequest(name + ": not a bucket property this store supports "
            + "(n_val, r, w, dw, pr, pw, allow_mult, last_write_wins)\n");
      }
    }
    Object[][] quorums = {{"r", r}, {"w", w}, {"dw", dw}, {"pr", pr}, {"pw", pw}};
    for (Object[] q : quorums) {
      Quorum value = (Quorum) q[1];
      if (value.kind() == Quorum.Kind.DEFAULT) {
        throw RiakProblem.badRequest(q[0] + ": a bucket's quorum cannot be default\n");
      }
      if (value.kind() == Quorum.Kind.COUNT && value.count() > nVal) {
        throw RiakProblem.badRequest(q[0] + ": " + value.count() + " is more than the bucket's n_val of " + nVal + "\n");
      }
    }
    if (allowMult && lastWriteWins) {
      throw RiakProblem.badRequest("allow_mult and last_write_wins cannot both be true\n");
    }
    return new BucketProps(nVal, r, w, dw, pr, pw, allowMult, lastWriteWins);
  }

  private static int nVal(JsonNode value) {
    int n = value.isInt() ? value.intValue() : value.isTextual() ? parseInt(value.textValue()) : -1;
    if (n < 1 || n > BucketProps.N_VAL_MAX) {
      throw RiakProblem.badRequest("n_val: must be an integer from 1 to " + BucketProps.N_VAL_MAX + "\n");
    }
    return n;
  }

  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Quorum quorum(String name, JsonNode value) {
    try {
      if (value.isInt()) {
        return Quorum.of(value.intValue());
      }
      if (value.isTextual()) {
        return Quorum.parse(value.textValue());
      }
    } catch (InvalidRequestException e) {
      // Falls through to the property's own message.
    }
    throw RiakProblem.badRequest(name + ": must be an integer or one of 'one', 'quorum' or 'all'\n");
  }

  private static boolean bool(String name, JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
      return Boolean.parseBoolean(value.textValue());
    }
    throw RiakProblem.badRequest(name + ": must be true or false\n");
  }
}
