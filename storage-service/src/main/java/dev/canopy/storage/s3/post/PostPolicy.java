package dev.canopy.storage.s3.post;

import dev.canopy.api.error.S3Error;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A POST Object policy: an expiration and the conditions every field of the form must meet.
 * Conditions are {@code {"field": "value"}} and {@code ["eq", "$field", "value"]} (exact),
 * {@code ["starts-with", "$field", "prefix"]} and {@code ["content-length-range", min, max]}.
 * Field names compare without regard to case, as S3 does; {@code bucket} is the addressed bucket.
 * Pure: time comes in as an argument.
 */
public final class PostPolicy {

  /** Fields a policy never has to mention: the file, the policy itself and its signature. */
  private static final Set<String> UNCONDITIONED = Set.of("file", "policy", "x-amz-signature");
  /** S3 lets forms carry fields a policy ignores when their names start with this. */
  private static final String IGNORED_PREFIX = "x-ignore-";
  /** A decoded policy document larger than this is refused before it is parsed. */
  public static final int DOCUMENT_BYTES_MAX = 64 * 1024;

  private enum Kind { EQ, STARTS_WITH, LENGTH_RANGE }

  /** One condition; {@code text} is its JSON as the policy had it, for error messages. */
  private record Condition(Kind kind, String field, String value, long min, long max, String text) {}

  private final Instant expiration;
  private final List<Condition> conditions;

  private PostPolicy(Instant expiration, List<Condition> conditions) {
    this.expiration = expiration;
    this.conditions = conditions;
  }

  /** Parses the form's base64 policy field; InvalidPolicyDocument when it cannot be read. */
  public static PostPolicy parse(String base64) {
    JsonObject document;
    try {
      byte[] decoded = Base64.getMimeDecoder().decode(base64);
      if (decoded.length > DOCUMENT_BYTES_MAX) {
        throw PostPolicyErrors.invalidPolicy("Policy document is too large.");
      }
      document = new JsonObject(new String(decoded, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw PostPolicyErrors.invalidPolicy("Invalid JSON.");
    }
    Object expiration = document.getValue("expiration");
    if (!(expiration instanceof String text)) {
      throw PostPolicyErrors.invalidPolicy("Policy missing expiration.");
    }
    Instant expires;
    try {
      expires = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw PostPolicyErrors.invalidPolicy("Invalid 'expiration' value: '" + text + "'");
    }
    if (!(document.getValue("conditions") instanceof JsonArray list)) {
      throw PostPolicyErrors.invalidPolicy("Policy missing conditions.");
    }
    List<Condition> conditions = new ArrayList<>(list.size());
    for (Object entry : list) {
      conditions.add(condition(entry));
    }
    return new PostPolicy(expires, List.copyOf(conditions));
  }

  private static Condition condition(Object entry) {
    if (entry instanceof JsonObject exact && exact.size() == 1) {
      String field = exact.fieldNames().iterator().next();
      if (exact.getValue(field) instanceof String value) {
        return new Condition(Kind.EQ, fieldName(field), value, 0, 0, exact.encode());
      }
    }
    if (entry instanceof JsonArray array && array.size() == 3 && array.getValue(0) instanceof String op) {
      String text = array.encode();
      switch (op.toLowerCase(Locale.ROOT)) {
        case "eq", "starts-with" -> {
          if (array.getValue(1) instanceof String field && field.startsWith("$") && array.getValue(2) instanceof String value) {
            Kind kind = op.equalsIgnoreCase("eq") ? Kind.EQ : Kind.STARTS_WITH;
            return new Condition(kind, fieldName(field.substring(1)), value, 0, 0, text);
          }
        }
        case "content-length-range" -> {
          long min = bound(array.getValue(1), text);
          long max = bound(array.getValue(2), text);
          if (min <= max) {
            return new Condition(Kind.LENGTH_RANGE, null, null, min, max, text);
          }
        }
        default -> { }
      }
    }
    throw PostPolicyErrors.invalidPolicy("Invalid Condition: " + (entry == null ? "null" : entry.toString()));
  }

  private static long bound(Object value, String text) {
    try {
      long bound = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
      if (bound >= 0) {
        return bound;
      }
    } catch (NumberFormatException e) {
      // answered below, as any other bad bound
    }
    throw PostPolicyErrors.invalidPolicy("Invalid content-length-range: " + text);
  }

  private static String fieldName(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a form against this policy.
   *
   * @param fields the form's fields before the file, names in lower case, {@code key} after
   *     {@code ${filename}} substitution; {@code bucket} need not be among them
   * @param bucket the addressed bucket's name, what a {@code bucket} condition is about
   * @return the sizes the file may have: the tightest content-length-range, or [0, Long.MAX_VALUE]
   * @throws dev.canopy.api.error.AwsException AccessDenied ("Invalid according to Policy: ...")
   *     when expired, a condition fails, or a field is not mentioned by any condition
   */
  public LengthRange check(Map<String, String> fields, String bucket, Instant now) {
    if (!now.isBefore(expiration)) {
      throw PostPolicyErrors.refused("Policy expired.");
    }
    long min = 0;
    long max = Long.MAX_VALUE;
    Set<String> mentioned = new TreeSet<>();
    for (Condition condition : conditions) {
      if (condition.kind() == Kind.LENGTH_RANGE) {
        min = Math.max(min, condition.min());
        max = Math.min(max, condition.max());
        continue;
      }
      mentioned.add(condition.field());
      String value = condition.field().equals("bucket") ? bucket : fields.get(condition.field());
      boolean met = condition.kind() == Kind.EQ
          ? condition.value().equals(value)
          : (value == null ? "" : value).startsWith(condition.value());
      if (!met) {
        throw PostPolicyErrors.refused("Policy Condition failed: " + condition.text());
      }
    }
    List<String> extra = fields.keySet().stream()
        .filter(name -> !UNCONDITIONED.contains(name) && !name.startsWith(IGNORED_PREFIX) && !mentioned.contains(name))
        .sorted().toList();
    if (!extra.isEmpty()) {
      throw PostPolicyErrors.refused("Extra input fields: " + String.join(", ", extra));
    }
    if (min > max) {
      throw S3Error.ACCESS_DENIED.exception("Invalid according to Policy: content-length-range conditions exclude every size.");
    }
    return new LengthRange(min, max);
  }

  /** The sizes a form's file may have, both ends included. */
  public record LengthRange(long min, long max) {}
}
