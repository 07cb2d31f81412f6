package dev.canopy.api.query;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * EC2 Query parameters seen as the tree their dotted names describe:
 * {@code TagSpecification.1.Tag.2.Key=Name} is the value of node
 * {@code TagSpecification → 1 → Tag → 2 → Key}. Lists are children named by 1-based indices,
 * read in index order with gaps allowed (as EC2 does). Reading a missing node yields an empty
 * node, so optional structures need no null checks. Bad values throw the {@code AwsException}
 * EC2 would return. Immutable.
 */
public final class QueryTree {

  private final String path;
  private final List<String> values;
  private final Map<String, QueryTree> children;

  private QueryTree(String path, List<String> values, Map<String, QueryTree> children) {
    this.path = path;
    this.values = values;
    this.children = children;
  }

  /** Builds the tree of decoded parameters (name to values in arrival order). */
  static QueryTree of(Map<String, List<String>> params, int maxDepth) {
    Builder root = new Builder("");
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String[] segments = e.getKey().split("\\.", -1);
      if (segments.length > maxDepth) {
        throw Ec2Error.INVALID_PARAMETER_VALUE.exception(
            "The parameter " + e.getKey() + " is nested more than " + maxDepth + " levels deep");
      }
      Builder node = root;
      for (String segment : segments) {
        node = node.child(segment);
      }
      node.values.addAll(e.getValue());
    }
    return root.build();
  }

  /** The dotted name of this node ("" for the root). */
  public String path() {
    return path;
  }

  /** The node's own value (the first one, if a client repeated the parameter). */
  public Optional<String> value() {
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** True when the request named this node or anything under it. */
  public boolean isPresent() {
    return !values.isEmpty() || !children.isEmpty();
  }

  public Set<String> childNames() {
    return children.keySet();
  }

  /** The node at a dotted path below this one; an empty node when absent. */
  public QueryTree at(String dottedPath) {
    QueryTree node = this;
    for (String segment : dottedPath.split("\\.", -1)) {
      QueryTree next = node.children.get(segment);
      node = next != null ? next : empty(join(node.path, segment));
    }
    return node;
  }

  public Optional<String> string(String dottedPath) {
    return at(dottedPath).value();
  }

  /** @throws AwsException MissingParameter when absent */
  public String requiredString(String dottedPath) {
    return string(dottedPath)
        .orElseThrow(
            () ->
                Ec2Error.MISSING_PARAMETER.exception(
                    "The request must contain the parameter " + join(path, dottedPath)));
  }

  /** @throws AwsException InvalidParameterValue when not an integer */
  public Optional<Integer> integer(String dottedPath) {
    return integer(dottedPath, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** An integer within [min, max]; InvalidParameterValue otherwise. */
  public Optional<Integer> integer(String dottedPath, int min, int max) {
    QueryTree node = at(dottedPath);
    Optional<String> raw = node.value();
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    int n;
    try {
      n = Integer.parseInt(raw.get().trim());
    } catch (NumberFormatException e) {
      throw invalid(node, raw.get(), "Expected an integer.");
    }
    if (n < min || n > max) {
      throw invalid(node, raw.get(), "Expected a value between " + min + " and " + max + ".");
    }
    return Optional.of(n);
  }

  /** "true" or "false" in any case; InvalidParameterValue otherwise. */
  public Optional<Boolean> bool(String dottedPath) {
    QueryTree node = at(dottedPath);
    Optional<String> raw = node.value();
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String v = raw.get().trim();
    if (v.equalsIgnoreCase("true")) {
      return Optional.of(true);
    }
    if (v.equalsIgnoreCase("false")) {
      return Optional.of(false);
    }
    throw invalid(node, raw.get(), "Expected 'true' or 'false'.");
  }

  /**
   * The members of list {@code name} ({@code name.1}, {@code name.2}, ...) ordered by index; gaps
   * allowed, empty when absent.
   *
   * @throws AwsException InvalidParameterValue for an index that is not a
   *     positive integer
   */
  public List<QueryTree> list(String name) {
    QueryTree listNode = at(name);
    TreeMap<Integer, QueryTree> byIndex = new TreeMap<>();
    for (Map.Entry<String, QueryTree> e : listNode.children.entrySet()) {
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        index = 0;
      }
      if (index < 1 || !e.getKey().equals(Integer.toString(index))) {
        throw Ec2Error.INVALID_PARAMETER_VALUE.exception(
            "The parameter " + e.getValue().path + " does not have a valid list index");
      }
      byIndex.put(index, e.getValue());
    }
    return List.copyOf(byIndex.values());
  }

  /** The values of list {@code name} ({@code InstanceId.N}), ordered by index. */
  public List<String> strings(String name) {
    List<String> out = new ArrayList<>();
    for (QueryTree member : list(name)) {
      member.value().ifPresent(out::add);
    }
    return out;
  }

  private static AwsException invalid(QueryTree node, String value, String expectation) {
    return Ec2Error.INVALID_PARAMETER_VALUE.exception(
        "Value (" + clip(value) + ") for parameter " + node.path + " is invalid. " + expectation);
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  private static QueryTree empty(String path) {
    return new QueryTree(path, List.of(), Map.of());
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  private static final class Builder {
    private final String path;
    private final List<String> values = new ArrayList<>();
    private final Map<String, Builder> children = new LinkedHashMap<>();

    Builder(String path) {
      this.path = path;
    }

    Builder child(String segment) {
      return children.computeIfAbsent(segment, s -> new Builder(join(path, s)));
    }

    QueryTree build() {
      Map<String, QueryTree> built = new LinkedHashMap<>();
      children.forEach((name, b) -> built.put(name, b.build()));
      return new QueryTree(path, List.copyOf(values), Collections.unmodifiableMap(built));
    }
  }
}
