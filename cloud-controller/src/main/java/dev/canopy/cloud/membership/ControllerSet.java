package dev.canopy.cloud.membership;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One version of the controller set: each controller's id and the address its grid member, lease
 * transport and endpoints listen on, and the newest version under which a lease has been won.
 *
 * @param version 0 for the set cluster.json seeded, one more at each join or leave
 * @param controllers address by controller id (1..255)
 * @param settledVersion the newest version a controller has won the lease under; a change is in
 *     progress while it is below {@code version}
 */
public record ControllerSet(long version, SortedMap<Integer, String> controllers, long settledVersion) {

  public ControllerSet {
    if (version < 0 || settledVersion < 0 || settledVersion > version) {
      throw new IllegalArgumentException("versions out of order: version " + version + ", settled " + settledVersion);
    }
    if (controllers == null || controllers.isEmpty()) {
      throw new IllegalArgumentException("a controller set has at least one controller");
    }
    controllers = Collections.unmodifiableSortedMap(new TreeMap<>(controllers));
  }

  /** The set cluster.json seeds: version 0, settled as soon as its first lease is won. */
  public static ControllerSet seed(Map<Integer, String> controllers) {
    return new ControllerSet(0, new TreeMap<>(controllers), 0);
  }

  /** True while the newest version has not yet had a lease won under it. */
  public boolean changeInProgress() {
    return settledVersion < version;
  }

  public int quorumSize() {
    return controllers.size() / 2 + 1;
  }

  /** The same set with a lease won under {@code wonUnder}, which settles that version. */
  public ControllerSet settledAt(long wonUnder) {
    if (wonUnder != version || settledVersion == version) {
      return this;
    }
    return new ControllerSet(version, controllers, version);
  }
}
