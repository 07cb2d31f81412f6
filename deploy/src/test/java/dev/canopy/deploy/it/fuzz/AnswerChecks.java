package dev.canopy.deploy.it.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer to a fuzzed request must satisfy: no 5xx except the 503s AWS itself sends
 * (a client backs off and retries those), an error body in the API's own shape, and no trace of
 * the server's insides.
 */
final class AnswerChecks {

  /** The error shape each API promises its clients. */
  enum Api {
    /** {@code <Response><Errors><Error><Code>…</Code>…<RequestID>} */
    EC2,
    /** {@code <Error><Code>…</Code>…}; HEAD answers carry no body. */
    S3,
    /** {@code {"code": …, "message": …}} */
    ADMIN
  }

  /** Codes AWS answers with 503, which the SDKs retry. */
  private static final Set<String> RETRYABLE_503_CODES =
      Set.of("SlowDown", "ServiceUnavailable", "Unavailable", "RequestLimitExceeded");

  /** Text a stack trace or an exception's toString leaves behind. */
  private static final List<String> LEAKS =
      List.of("Exception", "\tat ", "at dev.canopy", "at io.vertx", "at java.", "at com.fasterxml", "Caused by");

  private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerChecks() {}

  /** Why this answer is wrong, or empty. */
  static Optional<String> problem(Api api, FuzzRequest request, RawHttp.Answer answer) {
    String text = answer.text();
    for (String leak : LEAKS) {
      if (text.contains(leak)) {
        return Optional.of("the answer leaks \"" + leak + "\": " + clip(text));
      }
    }
    int status = answer.status();
    if (status < 400) {
      return Optional.empty();
    }
    Optional<String> code = code(api, request, answer);
    if (code.isEmpty()) {
      return Optional.of(status + " without the " + api + " error shape: " + clip(text));
    }
    if (status >= 500 && !(status == 503 && RETRYABLE_503_CODES.contains(code.get())) && !notImplemented(api, status, code.get())) {
      return Optional.of(status + " " + code.get() + ": " + clip(text));
    }
    return Optional.empty();
  }

  /**
   * S3 answers an operation it does not implement with 501 NotImplemented, as AWS documents for
   * functionality it lacks; the SDKs do not retry it, and nothing failed inside the server.
   */
  private static boolean notImplemented(Api api, int status, String code) {
    return api == Api.S3 && status == 501 && (code.equals("NotImplemented") || code.isEmpty());
  }

  /** The error code in the API's shape; "" for a bodiless HEAD error; empty when the shape is wrong. */
  private static Optional<String> code(Api api, FuzzRequest request, RawHttp.Answer answer) {
    String text = answer.text();
    return switch (api) {
      case EC2 -> text.contains("<Response><Errors><Error><Code>") && text.contains("<RequestID>") ? xmlCode(text) : Optional.empty();
      case S3 -> request.method().equals("HEAD") && answer.body().length == 0
          ? Optional.of("")
          : text.contains("<Error><Code>") ? xmlCode(text) : Optional.empty();
      case ADMIN -> jsonCode(text);
    };
  }

  /** The XML or JSON error code of any answer, "-" when it has none (for the run's summary). */
  static String codeOf(RawHttp.Answer answer) {
    String text = answer.text();
    return xmlCode(text).or(() -> jsonCode(text)).orElse("-");
  }

  private static Optional<String> xmlCode(String text) {
    Matcher m = XML_CODE.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static Optional<String> jsonCode(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.path("code").isTextual() && node.path("message").isTextual()
          ? Optional.of(node.get("code").asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String clip(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }
}
