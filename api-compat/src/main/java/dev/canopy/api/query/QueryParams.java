package dev.canopy.api.query;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.http.UriEncoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of an AWS Query request (EC2), from a GET query string or a POST
 * {@code application/x-www-form-urlencoded} body ('+' means a space in both), as a multimap
 * with helpers for what every action reads: Action, Version, lists, filters and the nested
 * structures of {@link QueryTree}. Bounded: at most {@link #PARAMS_MAX} parameters nested at most
 * {@link #DEPTH_MAX} levels. Immutable.
 */
public final class QueryParams {

  /** More parameters than any EC2 action takes, with room for large tag and filter sets. */
  public static final int PARAMS_MAX = 10_000;

  /** {@code TagSpecification.1.Tag.1.Key} is 5 deep; nothing in EC2 goes past 8. */
  public static final int DEPTH_MAX = 10;

  private final Map<String, List<String>> params;
  private final QueryTree tree;

  private QueryParams(Map<String, List<String>> params) {
    this.params = params;
    this.tree = QueryTree.of(params, DEPTH_MAX);
  }

  /**
   * Parses a GET request's raw query string.
   *
   * @throws AwsException MalformedQueryString on a broken percent-escape, InvalidParameterValue
   *     beyond {@link #PARAMS_MAX}
   */
  public static QueryParams parseQuery(String rawQuery) {
    return parse(rawQuery);
  }

  /**
   * Parses a POST request's {@code application/x-www-form-urlencoded} body (UTF-8).
   *
   * @throws AwsException as {@link #parseQuery}
   */
  public static QueryParams parseForm(byte[] body) {
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Parses one or more encoded parameter strings (a query string and a form body, say); repeated
   * names keep all their values in order.
   */
  static QueryParams parse(String... encoded) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    int count = 0;
    for (String part : encoded) {
      for (Map.Entry<String, String> raw : UriEncoding.splitRaw(part)) {
        if (++count > PARAMS_MAX) {
          throw Ec2Error.INVALID_PARAMETER_VALUE.exception(
              "The request has more than " + PARAMS_MAX + " parameters");
        }
        try {
          String name = UriEncoding.decode(raw.getKey(), true);
          String value = UriEncoding.decode(raw.getValue(), true);
          params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        } catch (IllegalArgumentException e) {
          throw Ec2Error.MALFORMED_QUERY_STRING.exception("The query string contains a syntax error: " + e.getMessage());
        }
      }
    }
    params.replaceAll((name, values) -> List.copyOf(values));
    return new QueryParams(Collections.unmodifiableMap(params));
  }

  /** Parameter names in first-seen order. */
  public Set<String> names() {
    return params.keySet();
  }

  public Optional<String> first(String name) {
    List<String> values = params.get(name);
    return values == null ? Optional.empty() : Optional.of(values.get(0));
  }

  public List<String> all(String name) {
    return params.getOrDefault(name, List.of());
  }

  /** @throws AwsException MissingParameter when absent */
  public String required(String name) {
    return tree.requiredString(name);
  }

  /** The Action; MissingAction when absent or empty. */
  public String action() {
    return first("Action")
        .filter(a -> !a.isEmpty())
        .orElseThrow(
            () -> Ec2Error.MISSING_ACTION.exception("The request must contain the parameter Action"));
  }

  public Optional<String> version() {
    return first("Version");
  }

  /** @throws AwsException InvalidParameterValue when not an integer in [min, max] */
  public Optional<Integer> integer(String name, int min, int max) {
    return tree.integer(name, min, max);
  }

  /** @throws AwsException InvalidParameterValue when not "true" or "false" */
  public Optional<Boolean> bool(String name) {
    return tree.bool(name);
  }

  /** List {@code prefix.N} (InstanceId.1, InstanceId.2, ...), ordered by N, gaps allowed. */
  public List<String> list(String prefix) {
    return tree.strings(prefix);
  }

  /**
   * {@code Filter.N.Name} / {@code Filter.N.Value.M}, ordered by N, values by M.
   *
   * @throws AwsException MissingParameter for a filter without Name
   */
  public List<Filter> filters() {
    List<Filter> filters = new ArrayList<>();
    for (QueryTree f : tree.list("Filter")) {
      filters.add(new Filter(f.requiredString("Name"), f.strings("Value")));
    }
    return filters;
  }

  /** All parameters as a tree of dotted names, for nested structures. */
  public QueryTree tree() {
    return tree;
  }
}
