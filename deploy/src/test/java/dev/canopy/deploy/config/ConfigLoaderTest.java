package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private CanopyConfig load(String yaml) throws Exception {
    return loadIn(dir, yaml);
  }

  /** {@code yaml} as a config file in {@code dir}, loaded as start-up loads it. */
  static CanopyConfig loadIn(Path dir, String yaml) throws Exception {
    Path file = dir.resolve("canopy.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file);
  }

  @Test
  void everyKeyHasADefault() throws Exception {
    CanopyConfig config = load("");
    assertThat(config).isEqualTo(CanopyConfig.defaults());
    assertThat(config.region()).isEqualTo("canopy-1");
    assertThat(config.zones()).containsExactly("canopy-1a");
    assertThat(config.ports()).isEqualTo(new Ports(8773, 8779, 8780, 8781));
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void givenKeysOverrideDefaults() throws Exception {
    CanopyConfig config = load("region: lab-2\nzones: [lab-2a, lab-2b]\nports:\n  s3: 0\n");
    assertThat(config.region()).isEqualTo("lab-2");
    assertThat(config.zones()).containsExactly("lab-2a", "lab-2b");
    assertThat(config.ports().s3()).isZero();
    assertThat(config.ports().ec2()).isEqualTo(8773);
  }

  @Test
  void unknownKeyIsNamed() {
    assertThatThrownBy(() -> load("ports:\n  ec3: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'ports.ec3'")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> load("regoin: x\n")).hasMessageContaining("'regoin'");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> load("ports:\n  ec2: 70000\n")).hasMessageContaining("'ports.ec2'");
    assertThatThrownBy(() -> load("ports:\n  s3: many\n")).hasMessageContaining("'ports.s3'");
    assertThatThrownBy(() -> load("region: Not_A_Region\n")).hasMessageContaining("'region'");
    assertThatThrownBy(() -> load("zones: [elsewhere-1a]\n")).hasMessageContaining("'zones'");
    assertThatThrownBy(() -> load("zones: []\n")).hasMessageContaining("'zones'");
  }

  @Test
  void limitsHaveDefaultsAndTakeGivenValues() throws Exception {
    assertThat(load("").limits()).isEqualTo(new Limits(20, 64, 5000, 2500, 50, 100));
    Limits limits = load("limits:\n  instances: 5\n  vcpus: 10\n  keyPairs: 7\n  securityGroups: 9\n"
        + "  requestsPerSecond: 3\n  requestBurst: 4\n").limits();
    assertThat(limits).isEqualTo(new Limits(5, 10, 7, 9, 3, 4));
    assertThat(load("limits:\n  vcpus: 128\n").limits()).isEqualTo(new Limits(20, 128, 5000, 2500, 50, 100));
  }

  @Test
  void s3AccountLimitsHaveDefaultsTakeGivenValuesAndNameBadOnes() throws Exception {
    assertThat(load("").s3().limits().accountLimits()).isEqualTo(dev.canopy.storage.s3.S3AccountLimits.DEFAULTS);
    assertThat(load("s3:\n  limits:\n    bucketsPerAccount: 5\n    uploadsInFlightPerAccount: 2\n"
        + "    requestsPerSecond: 30\n    requestBurst: 60\n").s3().limits().accountLimits())
        .isEqualTo(new dev.canopy.storage.s3.S3AccountLimits(5, 2, 30, 60));
    assertThatThrownBy(() -> load("s3:\n  limits:\n    bucketsPerAccount: 0\n"))
        .hasMessageContaining("'s3.limits.bucketsPerAccount'");
  }

  @Test
  void theObjectStoresExpiryHasDefaultsTakesGivenValuesAndNamesBadOnes() throws Exception {
    var defaults = load("").s3().store().objectStoreSettings();
    assertThat(defaults).isEqualTo(dev.canopy.storage.objects.ObjectStoreSettings.DEFAULTS);
    var set = load("s3:\n  store:\n    uploadExpiryDays: 2\n    gcLeewaySeconds: 600\n").s3().store().objectStoreSettings();
    assertThat(set.uploadExpiry()).isEqualTo(java.time.Duration.ofDays(2));
    assertThat(set.gcLeeway()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(set.chunkBytes()).isEqualTo(defaults.chunkBytes());
    assertThatThrownBy(() -> load("s3:\n  store:\n    uploadExpiryDays: 0\n"))
        .hasMessageContaining("'s3.store.uploadExpiryDays'");
    assertThatThrownBy(() -> load("s3:\n  store:\n    gcLeewaySeconds: -5\n"))
        .hasMessageContaining("'s3.store.gcLeewaySeconds'");
  }

  @Test
  void theLifecycleIntervalHasADefaultTakesAGivenValueAndNamesABadOne() throws Exception {
    assertThat(load("").s3().lifecycleIntervalSeconds()).isEqualTo(3600);
    assertThat(load("s3:\n  lifecycleIntervalSeconds: 60\n").s3().lifecycleIntervalSeconds()).isEqualTo(60);
    assertThatThrownBy(() -> load("s3:\n  lifecycleIntervalSeconds: 0\n"))
        .hasMessageContaining("'s3.lifecycleIntervalSeconds'");
  }

  @Test
  void theConsolesExtraNamesDefaultToNoneAndABadOneIsNamed() throws Exception {
    assertThat(load("").console().hostnames()).isEmpty();
    assertThat(load("console:\n  hostnames: [console.example.com, 203.0.113.7]\n").console().hostnames())
        .containsExactly("console.example.com", "203.0.113.7");
    assertThatThrownBy(() -> load("console:\n  hostnames: ['bad name']\n")).hasMessageContaining("'console.hostnames'");
  }

  @Test
  void badLimitsAreNamed() {
    assertThatThrownBy(() -> load("limits:\n  instances: 0\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'limits.instances'");
    assertThatThrownBy(() -> load("limits:\n  vcpus: -4\n")).hasMessageContaining("'limits.vcpus'");
    assertThatThrownBy(() -> load("limits:\n  keyPairs: lots\n")).hasMessageContaining("'limits.keyPairs'");
    assertThatThrownBy(() -> load("limits:\n  securityGroups: 0\n")).hasMessageContaining("'limits.securityGroups'");
    assertThatThrownBy(() -> load("limits:\n  requestsPerSecond: 0\n")).hasMessageContaining("'limits.requestsPerSecond'");
    assertThatThrownBy(() -> load("limits:\n  requestBurst: 0\n")).hasMessageContaining("'limits.requestBurst'");
    assertThatThrownBy(() -> load("limits:\n  cpus: 4\n")).hasMessageContaining("'limits.cpus'").hasMessageContaining("unknown key");
  }

  @Test
  void connectionLimitsHaveDefaultsAndTakeGivenValues() throws Exception {
    assertThat(load("").connections().limits()).isEqualTo(dev.canopy.api.http.ConnectionLimits.DEFAULTS);
    var limits = load("connections:\n  perListener: 500\n  perAddress: 20\n  idleTimeoutSeconds: 30\n  headTimeoutSeconds: 2\n")
        .connections().limits();
    assertThat(limits).isEqualTo(new dev.canopy.api.http.ConnectionLimits(500, 20, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(2)));
    assertThatThrownBy(() -> load("connections:\n  headTimeoutSeconds: 0\n")).hasMessageContaining("'connections.headTimeoutSeconds'");
    assertThatThrownBy(() -> load("connections:\n  perListener: 10\n  perAddress: 11\n")).hasMessageContaining("'connections.perAddress'");
  }

  @Test
  void malformedYamlIsReported() {
    assertThatThrownBy(() -> load("ports: [\n")).isInstanceOf(ConfigException.class);
  }

  @Test
  void flagsOverrideTheFile() throws Exception {
    CanopyConfig config = load("ports:\n  ec2: 9000\n");
    Ports ports = config.ports().override(null, 0, null, 0);
    assertThat(ports).isEqualTo(new Ports(9000, 0, 8780, 0));
  }

  @Test
  void peerPortsAreReadFromTheFile() throws Exception {
    Ports ports = load("ports:\n  lease: 9001\n  grid: 9002\n  kv: 0\n  directory: 9004\n").ports();
    assertThat(ports.lease()).isEqualTo(9001);
    assertThat(ports.grid()).isEqualTo(9002);
    assertThat(ports.kv()).isZero();
    assertThat(ports.directory()).isEqualTo(9004);
    assertThat(ports.ec2()).as("the client ports keep their defaults").isEqualTo(8773);
  }

  @Test
  void unconfiguredPeerPortsAreLeftToTheRole() throws Exception {
    Ports ports = load("ports:\n  ec2: 9000\n").ports();
    assertThat(ports.lease()).isNull();
    assertThat(ports.grid()).isNull();
    assertThat(ports.kv()).isNull();
    assertThat(ports.directory()).isNull();
  }

  @Test
  void aBadPeerPortIsNamed() {
    assertThatThrownBy(() -> load("ports:\n  grid: 65536\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'ports.grid'");
    assertThatThrownBy(() -> load("ports:\n  directory: -1\n")).hasMessageContaining("'ports.directory'");
  }

  @Test
  void anUnknownPortKeyIsNamedAmongTheKnownOnes() {
    assertThatThrownBy(() -> load("ports:\n  lease: 9001\n  gossip: 9005\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'ports.gossip'")
        .hasMessageContaining("unknown key")
        .hasMessageContaining("directory");
  }

  @Test
  void peerPortsFromTheFileSurviveFlagsAndTheRolesDefaults() throws Exception {
    Ports fromFile = load("ports:\n  ec2: 9000\n  grid: 9002\n  directory: 0\n").ports();

    Ports effective = fromFile.override(null, 9100, null, null, 9200)
        .withPeerDefaults(Ports.LEASE_DEFAULT, Ports.GRID_DEFAULT, Ports.KV_DEFAULT, Ports.DIRECTORY_DEFAULT, Ports.PEER_DEFAULT);

    assertThat(effective).isEqualTo(
        new Ports(9000, 9100, 8780, 8781, 9200, Ports.LEASE_DEFAULT, 9002, Ports.KV_DEFAULT, 0, Ports.RIAK_DEFAULT, Ports.PEER_DEFAULT));
  }
}
