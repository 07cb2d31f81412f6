package dev.canopy.deploy.config;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import dev.canopy.storage.kv.engine.Membership;

/**
 * The {@code --storage-nodes} flag of {@code canopy storage}: every member of the replicated
 * store as {@code id=address}, the same list on every storage process.
 */
public final class StorageNodeList {

  private static final Pattern ID = Membership.NODE_ID;

  private StorageNodeList() {}

  /**
   * @return each storage node's address by id
   * @throws IllegalArgumentException naming the entry that is not a distinct {@code id=address} pair
   */
  public static SortedMap<String, String> parse(List<String> entries) {
    SortedMap<String, String> addresses = new TreeMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String id = eq < 0 ? "" : entry.substring(0, eq).strip();
      String address = eq < 0 ? "" : entry.substring(eq + 1).strip();
      if (!ID.matcher(id).matches() || address.isEmpty() || addresses.put(id, address) != null) {
        throw new IllegalArgumentException("--storage-nodes takes distinct id=address pairs (ids of letters, digits and '-'), not '"
            + entry + "'");
      }
    }
    return addresses;
  }
}
