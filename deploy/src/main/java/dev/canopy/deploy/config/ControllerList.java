package dev.canopy.deploy.config;

import dev.canopy.core.cloud.CloudLimits;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The {@code --controllers} flag every role of a multi-process cloud takes: {@code id=address} pairs, the same everywhere. */
public final class ControllerList {

  private ControllerList() {}

  /**
   * @return each controller's address by id
   * @throws IllegalArgumentException naming the entry that is not a distinct {@code id=address} pair
   */
  public static SortedMap<Integer, String> parse(List<String> entries) {
    SortedMap<Integer, String> addresses = new TreeMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      try {
        int controllerId = Integer.parseInt(entry.substring(0, Math.max(eq, 0)).strip());
        String address = entry.substring(eq + 1).strip();
        if (eq < 0 || address.isEmpty() || controllerId < 1 || controllerId > CloudLimits.CONTROLLER_ID_MAX
            || addresses.put(controllerId, address) != null) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--controllers takes distinct id=address pairs with ids 1.."
            + CloudLimits.CONTROLLER_ID_MAX + ", not '" + entry + "'");
      }
    }
    return addresses;
  }
}
