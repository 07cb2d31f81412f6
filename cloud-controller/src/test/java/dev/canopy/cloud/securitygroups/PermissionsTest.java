package dev.canopy.cloud.securitygroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  @Test
  void protocolsAreStoredAsAwsStoresThem() {
    assertThat(List.of("tcp", "TCP", "6", "udp", "17", "icmp", "1", "-1", "all", "47", "icmpv6"))
        .extracting(Permissions::protocol)
        .containsExactly("tcp", "tcp", "tcp", "udp", "udp", "icmp", "icmp", "-1", "-1", "47", "58");
    for (String bad : List.of("tcpp", "256", "-2", "1.5")) {
      assertInvalid(() -> Permissions.protocol(bad));
    }
  }

  @Test
  void portsAreCheckedPerProtocol() {
    assertThat(Permissions.ports("tcp", 22, 22)).containsExactly(22, 22);
    assertThat(Permissions.ports("udp", 0, 65535)).containsExactly(0, 65535);
    assertThat(Permissions.ports("icmp", null, null)).containsExactly(-1, -1);
    assertThat(Permissions.ports("icmp", 8, 0)).containsExactly(8, 0);
    // All traffic, or a protocol without ports: AWS ignores the ports given.
    assertThat(Permissions.ports("-1", 1, 2)).containsExactly(null, null);
    assertInvalid(() -> Permissions.ports("tcp", null, 22));
    assertInvalid(() -> Permissions.ports("tcp", 23, 22));
    assertInvalid(() -> Permissions.ports("tcp", -1, -1));
    assertInvalid(() -> Permissions.ports("udp", 0, 65536));
    assertInvalid(() -> Permissions.ports("icmp", -1, 3));
    assertInvalid(() -> Permissions.ports("icmp", 256, 0));
  }

  @Test
  void cidrsAreValidated() {
    assertThat(Permissions.ipv4("0.0.0.0/0")).isEqualTo("0.0.0.0/0");
    assertThat(Permissions.ipv4("10.0.0.0/8")).isEqualTo("10.0.0.0/8");
    assertThat(Permissions.ipv6("::/0")).isEqualTo("::/0");
    assertThat(Permissions.ipv6("2001:db8::/32")).isEqualTo("2001:db8::/32");
    for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "a.b.c.d/8", "10.0.0.0/8x", "")) {
      assertInvalid(() -> Permissions.ipv4(bad));
    }
    for (String bad : List.of("::", "::/129", "2001:db8::g/32", "example.com/8", "10.0.0.0/8", "1:2:3:4:5:6:7:8:9/64")) {
      assertInvalid(() -> Permissions.ipv6(bad));
    }
  }

  @Test
  void permissionsFlattenToOneRulePerPeer() {
    var p = new IpPermission("tcp", 22, 22, List.of(new IpPermission.Range("10.0.0.0/8", "ssh"), new IpPermission.Range("192.168.0.0/16", null)),
        List.of(new IpPermission.Range("::/0", null)), List.of(new IpPermission.GroupRef(null, "web", null, null)));
    List<SecurityGroupRule> rules = Permissions.flatten(List.of(p), ref -> "sg-0123456789abcdef0");
    assertThat(rules).hasSize(4).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("tcp"));
    assertThat(rules).extracting(SecurityGroupRule::cidrIpv4).containsExactly("10.0.0.0/8", "192.168.0.0/16", null, null);
    assertThat(rules.get(3).referencedGroupId()).isEqualTo("sg-0123456789abcdef0");
    assertThat(rules.get(0).description()).isEqualTo("ssh");
    // The description is not part of a rule's identity: AWS calls these duplicates.
    assertThat(rules.get(0).sameAs(new SecurityGroupRule("sgr-x", "tcp", 22, 22, "10.0.0.0/8", null, null, "other"))).isTrue();
    assertInvalid(() -> Permissions.flatten(List.of(new IpPermission("tcp", 22, 22, List.of(), List.of(), List.of())), r -> ""));
  }

  private static void assertInvalid(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isIn("InvalidParameterValue", "MissingParameter"));
  }
}
