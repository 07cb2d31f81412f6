package dev.canopy.cloud.resources;

import dev.canopy.api.query.Filter;
import java.util.List;
import java.util.function.Function;

/**
 * EC2 filter semantics: a resource is shown when every filter matches (AND), and a filter
 * matches when any of its values matches any of the resource's values for that name (OR).
 * Values may use '*' (any run) and '?' (one character) wildcards, and a backslash before
 * either (or before itself) for the literal character, as EC2 allows.
 */
public final class Filters {

  private Filters() {}

  /**
   * @param valuesOf the resource's values for a filter name; throws for a name the action does
   *     not support
   */
  public static boolean matchAll(List<Filter> filters, Function<String, List<String>> valuesOf) {
    boolean all = true;
    for (Filter filter : filters) {
      // Every filter's values are asked for, even after one failed: a name the action does not
      // support is then refused whatever filter came before it.
      List<String> actual = valuesOf.apply(filter.name());
      all &= filter.values().stream().anyMatch(wanted -> actual.stream().anyMatch(a -> wildcard(wanted, a)));
    }
    return all;
  }

  /**
   * Refuses a filter name the action does not support before any resource is looked at, so a
   * typo is an error even when no resource (or no resource passing the other filters) would
   * have asked for its values.
   *
   * @param known the action's filter names; {@code tag:KEY} names are always known
   * @throws dev.canopy.api.error.AwsException InvalidParameterValue, worded as EC2 words it
   */
  public static void requireKnown(List<Filter> filters, java.util.Set<String> known) {
    requireKnown(filters, name -> name.startsWith("tag:") || known.contains(name));
  }

  /** As {@link #requireKnown(List, java.util.Set)}, for an action whose names are not a fixed set. */
  public static void requireKnown(List<Filter> filters, java.util.function.Predicate<String> known) {
    for (Filter filter : filters) {
      if (!known.test(filter.name())) {
        throw dev.canopy.api.error.Ec2Errors.invalidParameterValue("The filter '" + filter.name() + "' is invalid");
      }
    }
  }

  public static boolean wildcard(String pattern, String value) {
    return matches(pattern, 0, value, 0);
  }

  private static boolean matches(String p, int pi, String v, int vi) {
    // Iterative glob match with backtracking on the last '*': linear for typical filters.
    // A backslash makes the next character literal (backslash-star is a star), as EC2 documents.
    int star = -1;
    int mark = 0;
    while (vi < v.length()) {
      boolean escaped = pi + 1 < p.length() && p.charAt(pi) == '\\';
      char c = pi < p.length() ? p.charAt(escaped ? pi + 1 : pi) : 0;
      if (pi < p.length() && ((!escaped && c == '?') || c == v.charAt(vi)) && (escaped || c != '*')) {
        pi += escaped ? 2 : 1;
        vi++;
      } else if (pi < p.length() && !escaped && c == '*') {
        star = pi++;
        mark = vi;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }
}
