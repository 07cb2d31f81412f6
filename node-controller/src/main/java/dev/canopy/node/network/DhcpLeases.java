package dev.canopy.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The leases dnsmasq holds on the instance network, from the status file libvirt's lease helper
 * keeps ({@code /var/lib/libvirt/dnsmasq/<bridge>.status}, a JSON array). Read only to avoid
 * handing out an address whose lease another MAC still holds; unreadable means "none known".
 */
final class DhcpLeases {

  /** libvirt's file is small; a bound keeps a corrupt one from costing much. */
  private static final long BYTES_MAX = 4L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DhcpLeases() {}

  static Set<Long> leasedToOthers(Path statusFile, String mac) {
    Set<Long> out = new HashSet<>();
    try {
      if (Files.size(statusFile) > BYTES_MAX) {
        return out;
      }
      for (JsonNode lease : JSON.readTree(statusFile.toFile())) {
        String leaseMac = lease.path("mac-address").asText("");
        if (!leaseMac.equalsIgnoreCase(mac)) {
          try {
            out.add(Subnet.address(lease.path("ip-address").asText("")));
          } catch (IllegalArgumentException e) {
            // An IPv6 lease or a malformed entry: not an address this network hands out.
          }
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      return out;
    }
    return out;
  }
}
