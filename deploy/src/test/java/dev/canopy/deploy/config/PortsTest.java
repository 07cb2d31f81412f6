package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every port key is checked by name; the peer ports stay unset until configured or defaulted by the role. */
class PortsTest {

  /** A Ports with {@code value} at the key's position and nothing else set. */
  private record Key(String name, Function<Integer, Ports> with, Function<Ports, Integer> read) {}

  private static final List<Key> KEYS = List.of(
      new Key("ports.ec2", v -> new Ports(v, null, null, null, null, null, null, null, null), Ports::ec2),
      new Key("ports.s3", v -> new Ports(null, v, null, null, null, null, null, null, null), Ports::s3),
      new Key("ports.console", v -> new Ports(null, null, v, null, null, null, null, null, null), Ports::console),
      new Key("ports.management", v -> new Ports(null, null, null, v, null, null, null, null, null),
          Ports::management),
      new Key("ports.agent", v -> new Ports(null, null, null, null, v, null, null, null, null), Ports::agent),
      new Key("ports.lease", v -> new Ports(null, null, null, null, null, v, null, null, null), Ports::lease),
      new Key("ports.grid", v -> new Ports(null, null, null, null, null, null, v, null, null), Ports::grid),
      new Key("ports.kv", v -> new Ports(null, null, null, null, null, null, null, v, null), Ports::kv),
      new Key("ports.directory", v -> new Ports(null, null, null, null, null, null, null, null, v),
          Ports::directory),
      new Key("ports.riak", v -> new Ports(null, null, null, null, null, null, null, null, null, v, null),
          Ports::riak),
      new Key("ports.peer", v -> new Ports(null, null, null, null, null, null, null, null, null, null, v),
          Ports::peer));

  @Test
  void everyKeyTakesZeroAndTheHighestPort() {
    for (Key key : KEYS) {
      assertThat(key.read().apply(key.with().apply(0))).as(key.name()).isZero();
      assertThat(key.read().apply(key.with().apply(65535))).as(key.name()).isEqualTo(65535);
    }
  }

  @Test
  void everyKeyRefusesWhatIsNotAPortAndNamesItself() {
    for (Key key : KEYS) {
      for (int bad : new int[] {65536, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
        assertThatThrownBy(() -> key.with().apply(bad))
            .as(key.name() + " = " + bad)
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("'" + key.name() + "'")
            .hasMessageContaining(String.valueOf(bad));
      }
    }
  }

  @Test
  void unsetClientPortsGetTheWellKnownOnesAndPeerPortsStayUnset() {
    Ports ports = new Ports(null, null, null, null, null, null, null, null, null);
    assertThat(ports.ec2()).isEqualTo(8773);
    assertThat(ports.s3()).isEqualTo(Ports.S3_DEFAULT);
    assertThat(ports.console()).isEqualTo(8780);
    assertThat(ports.management()).isEqualTo(8781);
    assertThat(ports.agent()).isEqualTo(8775);
    assertThat(ports.lease()).isNull();
    assertThat(ports.grid()).isNull();
    assertThat(ports.kv()).isNull();
    assertThat(ports.directory()).isNull();
    assertThat(ports.riak()).isEqualTo(Ports.RIAK_DEFAULT);
    assertThat(ports.peer()).isNull();
  }

  @Test
  void peerDefaultsFillOnlyThePortsNotConfigured() {
    Ports configured = new Ports(1, 2, 3, 4, 5, 6000, null, 0, null);

    Ports filled = configured.withPeerDefaults(Ports.LEASE_DEFAULT, Ports.GRID_DEFAULT, Ports.KV_DEFAULT,
        Ports.DIRECTORY_DEFAULT, Ports.PEER_DEFAULT);

    assertThat(filled).isEqualTo(new Ports(1, 2, 3, 4, 5, 6000, Ports.GRID_DEFAULT, 0, Ports.DIRECTORY_DEFAULT, Ports.RIAK_DEFAULT, Ports.PEER_DEFAULT));
  }

  @Test
  void peerDefaultsAreValidatedLikeConfiguredPorts() {
    Ports ports = new Ports(0, 0, 0, 0);
    assertThatThrownBy(() -> ports.withPeerDefaults(1, 70000, 1, 1, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'ports.grid'");
  }

  @Test
  void overrideReplacesOnlyWhatIsGivenAndKeepsThePeerPorts() {
    Ports configured = new Ports(1, 2, 3, 4, 5, 6, 7, 8, 9);

    assertThat(configured.override(10, null, 30, null)).isEqualTo(new Ports(10, 2, 30, 4, 5, 6, 7, 8, 9));
    assertThat(configured.override(null, 20, null, 40, 50)).isEqualTo(new Ports(1, 20, 3, 40, 50, 6, 7, 8, 9));
    assertThat(configured.override(null, null, null, null, null)).isEqualTo(configured);
  }

  @Test
  void anOverrideIsValidatedAndNamesItsKey() {
    Ports ports = new Ports(0, 0, 0, 0);
    assertThatThrownBy(() -> ports.override(null, null, null, 65536))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'ports.management'");
    assertThatThrownBy(() -> ports.override(null, null, null, null, -1))
        .hasMessageContaining("'ports.agent'");
  }
}
