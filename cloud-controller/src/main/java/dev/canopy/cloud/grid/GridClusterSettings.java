package dev.canopy.cloud.grid;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How one controller's grid member joins the controllers' cluster, validated at construction
 * (the field is named in each {@link IllegalArgumentException}). The member list is explicit and
 * identical on every controller: the grid never discovers members by itself (PAXOSLEASE.md,
 * "Transport and configuration").
 *
 * @param clusterName the cloud's cluster name; members with another name never join
 * @param bindAddress the IP address this member listens on (an interface address, not a name)
 * @param port the port this member listens on; exactly this one, so the others find it
 * @param members every controller's member as {@code host:port}, this one included
 * @param controllers how many controllers the cloud has; equals {@code members.size()}
 * @param leaseDuration the lease duration D_P: a member that misses heartbeats this long is
 *     declared dead, so a partitioned minority loses the majority before its lease could outlive it
 */
public record GridClusterSettings(
    String clusterName, String bindAddress, int port, List<String> members, int controllers, Duration leaseDuration) {

  /**
   * Hazelcast allows at most 6 synchronous backups and the backup count is ⌊controllers/2⌋, so 13
   * controllers is the most whose every write can reach a majority of copies.
   */
  public static final int MAX_CONTROLLERS = 13;
  /** Hazelcast counts heartbeats in whole seconds and sends one a second. */
  public static final Duration MIN_LEASE = Duration.ofSeconds(2);
  /** The same hour {@code LeaseConfig} allows as its longest lease. */
  public static final Duration MAX_LEASE = Duration.ofHours(1);

  public GridClusterSettings {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("clusterName must not be blank");
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 1..65535: " + port);
    }
    if (controllers < 1 || controllers > MAX_CONTROLLERS) {
      throw new IllegalArgumentException("controllers must be in 1.." + MAX_CONTROLLERS + ": " + controllers);
    }
    if (members == null || members.size() != controllers) {
      throw new IllegalArgumentException(
          "members must list every controller (" + controllers + "): " + members);
    }
    members = List.copyOf(members);
    Set<String> seen = new HashSet<>();
    for (String member : members) {
      requireHostPort(member);
      if (!seen.add(member)) {
        throw new IllegalArgumentException("members lists " + member + " twice");
      }
    }
    if (leaseDuration == null || leaseDuration.compareTo(MIN_LEASE) < 0 || leaseDuration.compareTo(MAX_LEASE) > 0) {
      throw new IllegalArgumentException(
          "leaseDuration must be in " + MIN_LEASE + ".." + MAX_LEASE + ": " + leaseDuration);
    }
  }

  /** The smallest cluster allowed to read or write: a majority of the controllers. */
  public int majority() {
    return controllers / 2 + 1;
  }

  /**
   * Synchronous backups of every entry: with the primary, a write reaches a majority of members
   * before it returns, so any surviving majority holds it.
   */
  public int syncBackupCount() {
    return controllers / 2;
  }

  /**
   * Hazelcast's member-failure timeout: no longer than the lease (rounded down to whole seconds),
   * so a member cut off from the majority stops counting as a member before its lease could end.
   */
  public int maxNoHeartbeatSeconds() {
    return (int) leaseDuration.toSeconds();
  }

  private static void requireHostPort(String member) {
    int colon = member == null ? -1 : member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      throw new IllegalArgumentException("members: expected host:port, got " + member);
    }
    int memberPort;
    try {
      memberPort = Integer.parseInt(member.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("members: expected host:port, got " + member, e);
    }
    if (memberPort < 1 || memberPort > 65_535) {
      throw new IllegalArgumentException("members: port out of range in " + member);
    }
  }
}
