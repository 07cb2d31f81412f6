package dev.canopy.cloud.gridtunnel;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which controllers this host reaches through the tunnel: every controller whose address is not
 * an address of this host gets a forwarder on its alias here. Controllers sharing this host need
 * none: their members listen on their own aliases on this very host.
 *
 * <p>A host holds either one controller or all of them. With two controllers on one host and a
 * third elsewhere, both would need a forwarder on the third's alias, and one alias can carry only
 * one controller's certificate, so such a layout is refused at start rather than half working.
 *
 * @param forwarded the peers reached through a forwarder, in id order
 */
public record TunnelPlan(SortedSet<Integer> forwarded) {

  public TunnelPlan {
    forwarded = Collections.unmodifiableSortedSet(new TreeSet<>(forwarded));
  }

  /**
   * @param isLocal whether an address is one of this host's
   * @throws IllegalArgumentException when this controller's own address is not this host's, or
   *     when this host holds some but not all of several controllers
   */
  public static TunnelPlan of(TunnelSettings settings, Predicate<String> isLocal) {
    if (!isLocal.test(settings.selfAddress())) {
      throw new IllegalArgumentException("controller " + settings.selfId() + "'s address " + settings.selfAddress()
          + " is not an address of this host");
    }
    SortedSet<Integer> remote = new TreeSet<>();
    Set<Integer> sharing = new TreeSet<>();
    settings.controllers().forEach((id, address) -> {
      if (id == settings.selfId()) {
        return;
      }
      if (isLocal.test(address)) {
        sharing.add(id);
      } else {
        remote.add(id);
      }
    });
    if (!sharing.isEmpty() && !remote.isEmpty()) {
      throw new IllegalArgumentException("controllers " + sharing + " share this host with controller " + settings.selfId()
          + " while " + remote + " run elsewhere: put one controller per host, or all of them on one host");
    }
    return new TunnelPlan(remote);
  }
}
