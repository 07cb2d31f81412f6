package dev.canopy.deploy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Options a role's command checks itself rather than through picocli's {@code required}: picocli
 * would demand them of the command's subcommands too ({@code canopy storage join}, {@code canopy
 * controller leave}), which take none of them.
 */
public final class RequiredOptions {

  private RequiredOptions() {}

  /**
   * The names of the options not given.
   *
   * @param namesAndValues an option's name, then its value (null when not given), and so on
   */
  public static List<String> missing(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values come in pairs");
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        missing.add((String) namesAndValues[i]);
      }
    }
    return missing;
  }
}
