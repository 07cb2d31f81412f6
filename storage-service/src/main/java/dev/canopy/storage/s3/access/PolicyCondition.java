package dev.canopy.storage.s3.access;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One condition of a policy statement: an operator applied to one condition key and its values,
 * with IAM's rules: several values match when any does (for a negated operator: when none does);
 * a key the request lacks fails a positive operator and passes a negated one, and passes any
 * operator with the {@code IfExists} suffix.
 */
record PolicyCondition(Operator operator, boolean ifExists, String key, List<String> values, List<CidrBlock> blocks) {

  /** @throws IllegalArgumentException when an IpAddress value is no address block */
  static PolicyCondition of(Operator operator, boolean ifExists, String key, List<String> values) {
    List<CidrBlock> blocks = List.of();
    if (operator == Operator.IP_ADDRESS || operator == Operator.NOT_IP_ADDRESS) {
      blocks = values.stream()
          .map(v -> CidrBlock.parse(v).orElseThrow(() -> new IllegalArgumentException("not an IP address block: " + v)))
          .toList();
    }
    return new PolicyCondition(operator, ifExists, key, List.copyOf(values), blocks);
  }

  /** The operators Canopy evaluates. */
  enum Operator {
    STRING_EQUALS("StringEquals", false),
    STRING_NOT_EQUALS("StringNotEquals", true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true),
    STRING_LIKE("StringLike", false),
    STRING_NOT_LIKE("StringNotLike", true),
    IP_ADDRESS("IpAddress", false),
    NOT_IP_ADDRESS("NotIpAddress", true),
    BOOL("Bool", false),
    NULL("Null", false);

    final String policyName;
    final boolean negated;

    Operator(String policyName, boolean negated) {
      this.policyName = policyName;
      this.negated = negated;
    }

    static Optional<Operator> named(String name) {
      for (Operator operator : values()) {
        if (operator.policyName.equals(name)) {
          return Optional.of(operator);
        }
      }
      return Optional.empty();
    }
  }

  boolean matches(AccessRequest request) {
    Optional<String> actual = request.value(key);
    if (operator == Operator.NULL) {
      // "Null": true means the key must be absent.
      return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == actual.isEmpty());
    }
    if (actual.isEmpty()) {
      return ifExists || operator.negated;
    }
    boolean any;
    if (operator == Operator.IP_ADDRESS || operator == Operator.NOT_IP_ADDRESS) {
      Optional<InetAddress> address = CidrBlock.literal(actual.get());
      any = address.isPresent() && blocks.stream().anyMatch(block -> block.contains(address.get()));
    } else {
      any = values.stream().anyMatch(value -> matchesOne(value, actual.get()));
    }
    return operator.negated != any;
  }

  private boolean matchesOne(String expected, String actual) {
    return switch (operator) {
      case STRING_EQUALS, STRING_NOT_EQUALS -> expected.equals(actual);
      case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE -> expected.equalsIgnoreCase(actual);
      case STRING_LIKE, STRING_NOT_LIKE -> Wildcards.matches(expected, actual, false);
      case BOOL -> expected.equalsIgnoreCase(actual);
      case IP_ADDRESS, NOT_IP_ADDRESS, NULL -> throw new IllegalStateException(operator + " is not a string match");
    };
  }
}
