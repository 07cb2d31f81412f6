package dev.canopy.cloud.gridtunnel;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Who the grid tunnel connects, validated at construction (the field is named in each {@link
 * IllegalArgumentException}).
 *
 * @param selfId this controller's id; its certificate names {@code canopy:controller:<selfId>}
 * @param controllers every controller's own (private) address by id, this one's included, the
 *     same list on every controller: each gateway listens on its controller's address
 * @param port the grid port: gateways listen on it, members and forwarders on their aliases
 * @param limits the bounds of every relay
 */
public record TunnelSettings(int selfId, SortedMap<Integer, String> controllers, int port, TunnelLimits limits) {

  public TunnelSettings {
    if (controllers == null || !controllers.containsKey(selfId)) {
      throw new IllegalArgumentException("controllers must list this controller (" + selfId + "): " + controllers);
    }
    controllers = Collections.unmodifiableSortedMap(new TreeMap<>(controllers));
    controllers.forEach((id, address) -> {
      MemberAliases.of(id);
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("controllers: controller " + id + " has no address");
      }
    });
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 1..65535: " + port);
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must be given");
    }
  }

  /** This controller's own address, where its gateway listens. */
  public String selfAddress() {
    return controllers.get(selfId);
  }
}
