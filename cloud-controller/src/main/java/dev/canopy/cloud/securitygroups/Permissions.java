package dev.canopy.cloud.securitygroups;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation of requested permissions (protocols, ports, CIDRs) and flattening into rules. */
public final class Permissions {

  static final int PORT_MAX = 65_535;
  /** ICMP types and codes are one byte; -1 means "all". */
  static final int ICMP_MAX = 255;
  static final int DESCRIPTION_CHARS_MAX = 255;
  private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern IPV6_CIDR = Pattern.compile("([0-9A-Fa-f:.]{2,45})/(\\d{1,3})");

  private Permissions() {}

  /**
   * Validates and flattens permissions into rules without ids.
   *
   * @param resolveGroup the group id a reference names, in the caller's account; throws
   *     InvalidGroup.NotFound for one the caller cannot see
   * @throws AwsException InvalidParameterValue for a bad protocol, port or CIDR
   */
  static List<SecurityGroupRule> flatten(List<IpPermission> permissions, Function<IpPermission.GroupRef, String> resolveGroup) {
    List<SecurityGroupRule> rules = new ArrayList<>();
    for (IpPermission p : permissions) {
      String protocol = protocol(p.protocol());
      Integer[] ports = ports(protocol, p.fromPort(), p.toPort());
      if (p.ipv4Ranges().isEmpty() && p.ipv6Ranges().isEmpty() && p.groups().isEmpty()) {
        throw Ec2Errors.invalidParameterValue("Each IpPermissions entry needs an IP range, an IPv6 range or a group");
      }
      for (IpPermission.Range r : p.ipv4Ranges()) {
        rules.add(new SecurityGroupRule(null, protocol, ports[0], ports[1], ipv4(r.cidr()), null, null, description(r.description())));
      }
      for (IpPermission.Range r : p.ipv6Ranges()) {
        rules.add(new SecurityGroupRule(null, protocol, ports[0], ports[1], null, ipv6(r.cidr()), null, description(r.description())));
      }
      for (IpPermission.GroupRef g : p.groups()) {
        String groupId = resolveGroup.apply(g);
        rules.add(new SecurityGroupRule(null, protocol, ports[0], ports[1], null, null, groupId, description(g.description())));
      }
    }
    return rules;
  }

  /** The protocol as AWS stores it: tcp, udp, icmp, -1, or another protocol number. */
  static String protocol(String raw) {
    if (raw == null || raw.isBlank()) {
      throw Ec2Errors.missingParameter("IpProtocol");
    }
    String p = raw.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "tcp", "6":
        return "tcp";
      case "udp", "17":
        return "udp";
      case "icmp", "1":
        return "icmp";
      case "-1", "all":
        return "-1";
      case "icmpv6":
        return "58";
      default:
        break;
    }
    try {
      int n = Integer.parseInt(p);
      if (n >= 0 && n <= 255) {
        return Integer.toString(n);
      }
    } catch (NumberFormatException e) {
      // Not a number: falls through to the error below.
    }
    throw Ec2Errors.invalidParameterValue("Invalid value '" + raw + "' for IP protocol. Unknown protocol.");
  }

  /** {from, to} as stored: port range for tcp/udp, type and code for ICMP, none otherwise. */
  static Integer[] ports(String protocol, Integer from, Integer to) {
    switch (protocol) {
      case "tcp", "udp" -> {
        if (from == null || to == null) {
          throw Ec2Errors.invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
        }
        if (from < 0 || to > PORT_MAX || from > to) {
          throw Ec2Errors.invalidParameterValue("Invalid value '" + from + "-" + to + "' for portRange. Ports must be 0 to "
              + PORT_MAX + " and from must not exceed to.");
        }
        return new Integer[] {from, to};
      }
      case "icmp", "58" -> {
        int type = from == null ? -1 : from;
        int code = to == null ? -1 : to;
        if (type < -1 || type > ICMP_MAX || code < -1 || code > ICMP_MAX || (type == -1 && code != -1)) {
          throw Ec2Errors.invalidParameterValue("Invalid value '" + type + "," + code + "' for ICMP type and code.");
        }
        return new Integer[] {type, code};
      }
      default -> {
        // All protocols, or one without ports: AWS ignores any ports given.
        return new Integer[] {null, null};
      }
    }
  }

  static String ipv4(String cidr) {
    Matcher m = cidr == null ? null : IPV4_CIDR.matcher(cidr.trim());
    if (m == null || !m.matches()) {
      throw malformedCidr(cidr);
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        throw malformedCidr(cidr);
      }
    }
    if (Integer.parseInt(m.group(5)) > 32) {
      throw malformedCidr(cidr);
    }
    return cidr.trim();
  }

  static String ipv6(String cidr) {
    Matcher m = cidr == null ? null : IPV6_CIDR.matcher(cidr.trim());
    if (m == null || !m.matches() || !m.group(1).contains(":") || Integer.parseInt(m.group(2)) > 128) {
      throw malformedCidr(cidr);
    }
    try {
      // Only hex digits, ':' and '.' reach here, so this parses a literal and never asks DNS.
      InetAddress.getByName(m.group(1));
    } catch (UnknownHostException e) {
      throw malformedCidr(cidr);
    }
    return cidr.trim();
  }

  private static String description(String description) {
    if (description != null && description.length() > DESCRIPTION_CHARS_MAX) {
      throw Ec2Errors.invalidParameterValue("Rule descriptions are at most " + DESCRIPTION_CHARS_MAX + " characters");
    }
    return description;
  }

  private static AwsException malformedCidr(String cidr) {
    return Ec2Errors.invalidParameterValue("CIDR block " + cidr + " is malformed");
  }
}
