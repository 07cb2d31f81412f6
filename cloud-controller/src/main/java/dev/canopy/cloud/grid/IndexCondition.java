package dev.canopy.cloud.grid;

import java.util.Set;

/**
 * One condition of an indexed lookup ({@link Table#keysWhere}): the record's {@code attribute}
 * holds one of {@code anyOf} (for a many-valued attribute, at least one of its values does).
 * Attribute values are the text the record's JSON holds for that field.
 */
public record IndexCondition(String attribute, Set<String> anyOf) {

  public IndexCondition {
    anyOf = Set.copyOf(anyOf);
    if (anyOf.isEmpty()) {
      throw new IllegalArgumentException("a condition on " + attribute + " with no value matches nothing; the caller answers that");
    }
  }
}
