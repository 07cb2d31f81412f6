package dev.canopy.cloud.grid;

/**
 * A range of a sorted attribute for an indexed lookup ({@link Table#valuesInRange}): values after
 * {@code fromExclusive} up to and including {@code toInclusive}, in the attribute's text order.
 */
public record IndexRange(String attribute, String fromExclusive, String toInclusive) {

  public IndexRange {
    if (fromExclusive.compareTo(toInclusive) >= 0) {
      throw new IllegalArgumentException("an empty range of " + attribute + " matches nothing; the caller answers that");
    }
  }

  /** True when {@code value} lies in the range (for tables that scan instead). */
  public boolean contains(String value) {
    return value.compareTo(fromExclusive) > 0 && value.compareTo(toInclusive) <= 0;
  }
}
