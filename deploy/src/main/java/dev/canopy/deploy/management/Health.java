package dev.canopy.deploy.management;

import java.util.Objects;

/**
 * What {@code GET /health} answers: whether a load balancer should send this process traffic now,
 * and, when not, why in a few words an operator can act on. {@code /readyz} keeps answering the
 * same verdict as plain text; {@code /health} adds the reason and is what HAProxy's
 * {@code option httpchk} polls (docs/operations.md).
 *
 * @param serving true: send traffic here (HTTP 200); false: pass this process over (HTTP 503)
 * @param reason why not; "serving" when it is
 */
public record Health(boolean serving, String reason) {

  /** Longest reason sent: the body stays one short line however a check words it. */
  static final int REASON_LENGTH_MAX = 200;

  public Health {
    Objects.requireNonNull(reason, "reason");
    if (reason.length() > REASON_LENGTH_MAX) {
      reason = reason.substring(0, REASON_LENGTH_MAX);
    }
  }

  public static Health ok() {
    return new Health(true, "serving");
  }

  public static Health unavailable(String reason) {
    return new Health(false, reason);
  }

  /** The first failing check's verdict, or {@link #ok()}: checks are listed in the order an operator should fix them. */
  public static Health firstFailing(Check... checks) {
    for (Check check : checks) {
      if (!check.passes().getAsBoolean()) {
        return unavailable(check.failure());
      }
    }
    return ok();
  }

  /** One condition of serving, and what {@code /health} says when it does not hold. */
  public record Check(java.util.function.BooleanSupplier passes, String failure) {}

  /** The body of {@code /health}: {@code {"status": "serving"|"unavailable", "reason": "…"}}. */
  public String json() {
    return "{\"status\": \"" + (serving ? "serving" : "unavailable") + "\", \"reason\": \"" + escaped(reason) + "\"}\n";
  }

  private static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
