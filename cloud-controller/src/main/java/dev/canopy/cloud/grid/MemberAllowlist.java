package dev.canopy.cloud.grid;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The addresses a grid member accepts connections from: the controllers' own, resolved at start
 * and again whenever the controller set changes ({@link #admitOnly}). The open-source grid authenticates no member (TLS and member authentication are Hazelcast
 * Enterprise features), so a connection from any other address is closed before it can say a word;
 * a standalone member (the cloud in a box) accepts none at all.
 */
public final class MemberAllowlist {

  /** Replaced whole when the controller set changes; read on every accepted connection. */
  private volatile Set<InetAddress> addresses;

  private MemberAllowlist(Set<InetAddress> addresses) {
    this.addresses = Set.copyOf(addresses);
  }

  /** Accepts nobody: a member that is the whole cloud has no peers. */
  public static MemberAllowlist nobody() {
    return new MemberAllowlist(Set.of());
  }

  /**
   * @param members {@code host:port} of every controller's member
   * @throws IllegalArgumentException when a host does not resolve
   */
  public static MemberAllowlist of(Collection<String> members) {
    return new MemberAllowlist(members.stream().map(MemberAllowlist::resolve).collect(Collectors.toSet()));
  }

  /**
   * From now on accepts exactly {@code members} ({@code host:port} of every controller's member):
   * a joining controller's member is let in, a departed one's is refused. Connections already open
   * stay open; a departed member leaves the cluster itself.
   *
   * @throws IllegalArgumentException when a host does not resolve (the allowlist is then unchanged)
   */
  public void admitOnly(Collection<String> members) {
    addresses = Set.copyOf(members.stream().map(MemberAllowlist::resolve).collect(Collectors.toSet()));
  }

  /** Whether a connection from {@code remote} may speak to this member. */
  public boolean permits(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null && addresses.contains(inet.getAddress());
  }

  private static InetAddress resolve(String member) {
    String host = member.substring(0, member.lastIndexOf(':'));
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("grid member " + member + " does not resolve", e);
    }
  }

  @Override
  public String toString() {
    return "MemberAllowlist" + addresses;
  }
}
