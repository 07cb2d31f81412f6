package dev.canopy.storage.kv;

import java.util.Locale;

/**
 * A quorum value as a Riak client gives it: {@code one}, {@code quorum}, {@code all}, {@code
 * default} (the bucket's value) or a number of replicas. It is resolved against the bucket's
 * {@code n_val} only when a request runs, so a bucket can say {@code quorum} and change N later.
 */
public record Quorum(Kind kind, int count) {

  /** How the value was written. */
  public enum Kind {
    ONE,
    QUORUM,
    ALL,
    DEFAULT,
    COUNT
  }

  public static final Quorum ONE = new Quorum(Kind.ONE, 0);
  public static final Quorum MAJORITY = new Quorum(Kind.QUORUM, 0);
  public static final Quorum ALL = new Quorum(Kind.ALL, 0);
  public static final Quorum DEFAULT = new Quorum(Kind.DEFAULT, 0);

  public Quorum {
    if (kind == Kind.COUNT && count < 0) {
      throw new InvalidRequestException("a quorum value cannot be negative: " + count);
    }
  }

  public static Quorum of(int count) {
    return new Quorum(Kind.COUNT, count);
  }

  /**
   * Parses a value as Riak accepts it in a query parameter or bucket properties; anything else
   * is an {@link InvalidRequestException} (a 400 on the HTTP interface).
   */
  public static Quorum parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("a quorum value is empty");
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "one":
        return ONE;
      case "quorum":
        return MAJORITY;
      case "all":
        return ALL;
      case "default":
        return DEFAULT;
      default:
        try {
          return of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
          throw new InvalidRequestException(
              "a quorum value must be one, quorum, all, default or a number");
        }
    }
  }

  /**
   * The number of replicas this value asks for out of {@code n}, with {@code fallback} standing
   * in for {@code default}. A count above {@code n} is an {@link InvalidRequestException}.
   */
  public int resolve(int n, Quorum fallback) {
    return switch (kind) {
      case ONE -> 1;
      case QUORUM -> n / 2 + 1;
      case ALL -> n;
      case DEFAULT -> {
        if (fallback == null || fallback.kind == Kind.DEFAULT) {
          throw new IllegalArgumentException("default has no value to fall back to");
        }
        yield fallback.resolve(n, null);
      }
      case COUNT -> {
        if (count > n) {
          throw new InvalidRequestException(
              "a quorum of " + count + " is more than the bucket's n_val of " + n);
        }
        yield count;
      }
    };
  }

  /** As Riak prints it in bucket properties: a word or a number. */
  @Override
  public String toString() {
    return kind == Kind.COUNT ? Integer.toString(count) : kind.name().toLowerCase(Locale.ROOT);
  }
}
