package dev.canopy.deploy.storage;

import dev.canopy.storage.kv.ring.Ring;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this node dials the other members: each ring's addresses, overridden by {@code
 * --storage-nodes} (the command line wins, so an operator can point at a moved host without a
 * ring change), on the peer port every member shares. A member that left in the latest change
 * stays dialable: new owners read through to it while it hands its partitions off.
 */
final class PeerAddressBook {

  private static final Logger LOG = LoggerFactory.getLogger(PeerAddressBook.class);

  private final String self;
  private final SortedMap<String, String> overrides;
  private final int peerPort;
  private Map<String, URI> departed = Map.of();
  private Map<String, URI> current = Map.of();

  PeerAddressBook(String self, SortedMap<String, String> overrides, int peerPort) {
    this.self = self;
    this.overrides = new TreeMap<>(overrides);
    this.peerPort = peerPort;
  }

  /**
   * The peers to dial for {@code ring}: every member but this node, and those of the ring followed
   * before that this one no longer has. A member without a known address is left out (logged).
   */
  synchronized Map<String, URI> follow(Ring ring) {
    Map<String, URI> next = new LinkedHashMap<>();
    for (String member : ring.members()) {
      if (member.equals(self)) {
        continue;
      }
      String host = overrides.containsKey(member) ? overrides.get(member) : ring.address(member).orElse(null);
      if (host == null) {
        LOG.warn("storage node {} is in the ring (version {}) without an address: give it in --storage-nodes", member, ring.version());
        continue;
      }
      next.put(member, uri(host));
    }
    Set<String> left = new HashSet<>(current.keySet());
    left.removeAll(next.keySet());
    Map<String, URI> gone = new LinkedHashMap<>(left.isEmpty() ? departed : Map.of());
    left.forEach(member -> gone.put(member, current.get(member)));
    gone.keySet().removeAll(next.keySet());
    departed = Map.copyOf(gone);
    current = Map.copyOf(next);
    Map<String, URI> dialable = new LinkedHashMap<>(departed);
    dialable.putAll(current);
    return dialable;
  }

  /** Members without an address in {@code ring} nor on the command line: none may be missing at start. */
  Set<String> unknown(Ring ring) {
    Set<String> missing = new HashSet<>();
    for (String member : ring.members()) {
      if (!member.equals(self) && !overrides.containsKey(member) && ring.address(member).isEmpty()) {
        missing.add(member);
      }
    }
    return missing;
  }

  private URI uri(String host) {
    return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + peerPort);
  }
}
