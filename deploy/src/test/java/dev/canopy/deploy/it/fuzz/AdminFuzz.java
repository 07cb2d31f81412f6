package dev.canopy.deploy.it.fuzz;

import static dev.canopy.deploy.it.fuzz.FuzzValues.pick;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Admin JSON API requests: every route and method, bad and hostile JSON (deep nesting, huge
 * numbers, invalid UTF-8, wrong types), bodies over the limit. Account names are random words, so
 * the tenant the other generators sign with is never deleted.
 */
final class AdminFuzz implements RequestGenerator {

  private static final List<String> METHODS = List.of("GET", "POST", "DELETE", "PUT", "PATCH", "POST", "GET");

  /** Over the admin API's 64 KB body limit. */
  private static final int OVERSIZED_BODY_BYTES = 100_000;

  @Override
  public FuzzRequest next(RandomGenerator r) {
    String path = switch (r.nextInt(9)) {
      case 0, 1 -> "/admin/v1/accounts";
      case 2 -> "/admin/v1/accounts/" + (r.nextBoolean() ? FuzzValues.word(r) : FuzzValues.percentEncode(FuzzValues.bytes(r)));
      case 3, 4 -> "/admin/v1/tokens";
      case 5 -> "/admin/v1/nodes";
      case 6 -> "/admin/v1/samples?instanceId=" + FuzzValues.percentEncode(FuzzValues.bytes(r));
      case 7 -> "/admin/v1/" + FuzzValues.percentEncode(FuzzValues.bytes(r));
      default -> "/admin/" + pick(r, List.of("", "v2/accounts", "v1", "v1/", "v1/accounts/a/b", "v1/tokens/x", "%2e%2e/x"));
    };
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", r.nextInt(8) == 0 ? FuzzValues.headerValue(r) : "application/json");
    return new FuzzRequest(pick(r, METHODS), path, headers, body(r));
  }

  private static byte[] body(RandomGenerator r) {
    String json = switch (r.nextInt(14)) {
      case 0 -> "";
      case 1 -> "{\"name\":\"" + FuzzValues.word(r) + "\"}";
      case 2 -> "{\"name\":" + jsonValue(r) + "}";
      case 3 -> "{\"ttlSeconds\":" + FuzzValues.number(r) + "}";
      case 4 -> "{\"ttlSeconds\":" + jsonValue(r) + "}";
      case 5 -> "[".repeat(r.nextInt(1_000, 60_000));
      case 6 -> "{\"a\":".repeat(r.nextInt(1_000, 10_000)) + "1" + "}".repeat(r.nextInt(0, 10_000));
      case 7 -> "{\"name\":\"a\",\"name\":\"b\",\"ttlSeconds\":1,\"ttlSeconds\":-1}";
      case 8 -> "\uFEFF{\"name\":\"" + FuzzValues.word(r) + "\"}";
      case 9 -> "x".repeat(OVERSIZED_BODY_BYTES);
      case 10 -> pick(r, List.of("null", "true", "1", "\"s\"", "{", "}", "{\"name\"}", "{'name':'x'}", "{\"name\":\"x\"}garbage",
          "{\"name\":\"\\ud800\"}", "{\"name\":\"\\u0000\"}", "NaN", "{\"ttlSeconds\":1e99999}"));
      case 11 -> "{\"name\":\"" + FuzzValues.longText(r) + "\"}";
      default -> "{\"" + FuzzValues.word(r) + "\":" + jsonValue(r) + "}";
    };
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return r.nextInt(10) == 0 ? FuzzValues.withInvalidUtf8(r, json) : bytes;
  }

  private static String jsonValue(RandomGenerator r) {
    return switch (r.nextInt(6)) {
      case 0 -> FuzzValues.number(r).isEmpty() ? "0" : FuzzValues.number(r);
      case 1 -> "\"" + new String(FuzzValues.bytes(r), StandardCharsets.ISO_8859_1).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      case 2 -> "[" + FuzzValues.number(r) + "]";
      case 3 -> "{}";
      case 4 -> "null";
      default -> "\"" + FuzzValues.word(r) + "\"";
    };
  }
}
