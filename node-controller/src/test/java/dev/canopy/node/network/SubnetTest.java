package dev.canopy.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Guest subnets as operators write them in the agent's configuration, and the addresses they give. */
class SubnetTest {

  @Test
  void aSlash24GivesTheHostTheFirstAddressAndGuestsTheRestButTheBroadcast() {
    Subnet s = Subnet.parse("10.211.0.0/24");

    assertThat(s.gateway()).isEqualTo("10.211.0.1");
    assertThat(s.netmask()).isEqualTo("255.255.255.0");
    assertThat(Subnet.format(s.firstGuest())).isEqualTo("10.211.0.2");
    assertThat(Subnet.format(s.lastGuest())).isEqualTo("10.211.0.254");
    assertThat(s.contains(Subnet.address("10.211.0.255"))).isTrue();
    assertThat(s.contains(Subnet.address("10.211.1.0"))).isFalse();
  }

  @Test
  void theEdgesOfTheAddressSpaceFormatAndParseBack() {
    for (String dotted : new String[] {"0.0.0.0", "255.255.255.255", "192.168.100.7", "10.0.255.1"}) {
      assertThat(Subnet.format(Subnet.address(dotted))).isEqualTo(dotted);
    }
    assertThat(Subnet.address("255.255.255.255")).as("no sign trouble in the top bit").isEqualTo(0xffffffffL);
    Subnet top = Subnet.parse("255.255.0.0/16");
    assertThat(Subnet.format(top.lastGuest())).isEqualTo("255.255.255.254");
    assertThat(top.contains(0xffffffffL)).isTrue();
  }

  @Test
  void aSlash16HasSixtyFiveThousandFiveHundredAndThirtyThreeGuests() {
    Subnet s = Subnet.parse("172.16.0.0/16");

    assertThat(s.lastGuest() - s.firstGuest() + 1).isEqualTo(65_533);
    assertThat(s.netmask()).isEqualTo("255.255.0.0");
  }

  static Stream<String> notSubnets() {
    return Stream.of(
        "10.0.0.0", "10.0.0/24", "10.0.0.0.0/24", "10.0.0.256/24", "10.0.0.-1/24", "10..0.0/24", "10.0.0.0/33",
        "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "10.0.0.1/24", "0010.0.0.0/24", " 10.0.0.0/24",
        // Digits that are not ASCII, which Java's digit checks and parsers would accept.
        "\u0661\u0660.0.0.0/24", "10.0.0.0/\u0662\u0664", "10.0.0.0/+24");
  }

  @ParameterizedTest
  @MethodSource("notSubnets")
  void anythingButADottedQuadNetworkWithItsPrefixIsRefused(String text) {
    assertThatThrownBy(() -> Subnet.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingSubnetSaysWhatIsExpected() {
    assertThatThrownBy(() -> Subnet.parse(null)).hasMessageContaining("a.b.c.d/len");
  }

  @Test
  void theAgentsNetworkTakesOnlyPrefixesWithRoomForGuests() {
    for (String tooSmall : new String[] {"10.0.0.0/29", "10.0.0.0/30", "10.0.0.0/31", "10.0.0.0/32"}) {
      assertThatThrownBy(() -> new GuestNetworkSettings("canopy", "canopy0", tooSmall, java.nio.file.Path.of("/tmp/h")))
          .as(tooSmall).hasMessageContaining("/16../28");
    }
    assertThatThrownBy(() -> new GuestNetworkSettings("canopy", "canopy0", "10.0.0.0/15", java.nio.file.Path.of("/tmp/h")))
        .hasMessageContaining("/16../28");
    assertThat(new GuestNetworkSettings("canopy", "canopy0", "10.0.0.0/28", java.nio.file.Path.of("/tmp/h")).parsedSubnet()
        .prefixLength()).isEqualTo(28);
  }
}
