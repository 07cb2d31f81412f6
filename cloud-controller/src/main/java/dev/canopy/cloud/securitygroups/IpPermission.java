package dev.canopy.cloud.securitygroups;

import java.util.List;

/**
 * One IpPermissions entry as requested: a protocol and port range with any number of sources.
 * Values are raw (not yet validated); {@link Permissions} checks and flattens them into rules.
 */
public record IpPermission(
    String protocol, Integer fromPort, Integer toPort, List<Range> ipv4Ranges, List<Range> ipv6Ranges, List<GroupRef> groups) {

  public IpPermission {
    ipv4Ranges = List.copyOf(ipv4Ranges);
    ipv6Ranges = List.copyOf(ipv6Ranges);
    groups = List.copyOf(groups);
  }

  /** A CIDR with its optional description (null when none). */
  public record Range(String cidr, String description) {}

  /** A group of the same account, by id or (default VPC) name; userId, if given, must be the caller. */
  public record GroupRef(String groupId, String groupName, String userId, String description) {}
}
