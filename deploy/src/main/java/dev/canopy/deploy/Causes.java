package dev.canopy.deploy;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What an operator reads when a role cannot start: every link of the cause chain, each as its
 * message or, when it has none (a bare NullPointerException, a timeout), its type. Never "null".
 */
public final class Causes {

  /** Chains deeper than this are cut: the root cause is almost always within the first few links. */
  static final int LINKS_MAX = 8;

  private Causes() {}

  public static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    int links = 0;
    for (Throwable link = failure; link != null && seen.put(link, true) == null; link = link.getCause()) {
      if (links++ == LINKS_MAX) {
        text.append("; …");
        break;
      }
      String message = link.getMessage();
      String shown = message == null || message.isBlank() ? link.getClass().getSimpleName() : message;
      // Wrappers (ExecutionException, CompletionException) repeat their cause's text: say it once.
      if (text.length() > 0 && text.toString().endsWith(shown)) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": caused by ");
      }
      text.append(shown);
    }
    return text.toString();
  }
}
