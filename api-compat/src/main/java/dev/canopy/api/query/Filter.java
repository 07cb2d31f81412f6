package dev.canopy.api.query;

import java.util.List;

/**
 * One EC2 filter ({@code Filter.N.Name} with its {@code Filter.N.Value.M} values), values in
 * index order.
 */
public record Filter(String name, List<String> values) {
  public Filter {
    values = List.copyOf(values);
  }
}
