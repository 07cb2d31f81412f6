package dev.canopy.cloud.operatorapi;

import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.QueryValues;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The operator's instance search: {@code q} (part of an id, a private IP or a Name tag), exact
 * {@code account}, {@code state}, {@code node} and {@code type} filters, and a page ({@code page}
 * from 1, {@code pageSize} up to {@value #PAGE_SIZE_MAX}).
 */
public record InstanceSearch(String q, String account, String state, String node, String type, int page, int pageSize) {

  public static final int PAGE_SIZE_MAX = 200;
  static final int PAGE_SIZE_DEFAULT = 50;
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern SEARCH = Pattern.compile("[\\p{L}\\p{N} ._:/-]{1,64}");

  public static InstanceSearch parse(MultiMap query) {
    return new InstanceSearch(text(query.get("q")), word(query.get("account"), "account"), word(query.get("state"), "state"),
        word(query.get("node"), "node"), word(query.get("type"), "type"), number(query.get("page"), "page", 1, 1_000_000, 1),
        number(query.get("pageSize"), "pageSize", 1, PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT));
  }

  /** Whether the instance matches; {@code nameOf} gives its Name tag (read only when a search needs it). */
  public boolean matches(Instance i, Function<Instance, String> nameOf) {
    if (account != null && !account.equals(i.ownerId())) {
      return false;
    }
    if (state != null && !state.equals(i.state().wireName())) {
      return false;
    }
    if (node != null && !node.equals(i.nodeId())) {
      return false;
    }
    if (type != null && !type.equals(i.instanceType())) {
      return false;
    }
    if (q == null) {
      return true;
    }
    String wanted = q.toLowerCase(Locale.ROOT);
    if (i.instanceId().contains(wanted) || (i.privateIp() != null && i.privateIp().contains(wanted))) {
      return true;
    }
    String name = nameOf.apply(i);
    return name != null && name.toLowerCase(Locale.ROOT).contains(wanted);
  }

  private static String text(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!SEARCH.matcher(value).matches()) {
      throw ApiError.invalidParameter("q is up to 64 letters, digits, spaces and . _ : / -");
    }
    return value.strip();
  }

  private static String word(String value, String name) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (!WORD.matcher(value).matches()) {
      // Not echoed: a filter value is whatever was typed, and the message goes back into a page.
      throw ApiError.invalidParameter(name + " must be up to 64 letters, digits and . _ : -");
    }
    return value;
  }

  private static int number(String value, String name, int min, int max, int fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    if (!value.matches("[0-9]{1,7}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
      throw ApiError.invalidParameter(name + " must be " + min + ".." + max + ", got " + QueryValues.shown(value));
    }
    return Integer.parseInt(value);
  }
}
