package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.protocol.InstanceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real genisoimage; read back with isoinfo (both from the genisoimage package). */
class SeedIsoTest {

  static final String ID = "i-0123456789abcdef0";
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7 o'brien@laptop";

  @TempDir Path dir;
  private final SeedIso seeds = SeedIso.system(Duration.ofSeconds(30));

  static String isoinfo(Path iso, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("isoinfo", "-i", iso.toString()));
    cmd.addAll(List.of(args));
    return Tool.runChecked(cmd, Duration.ofSeconds(30)).stdout();
  }

  @Test
  void theSeedIsACidataIsoWithMetaDataAndUserData() throws Exception {
    Path iso = dir.resolve("seed.iso");
    String userData = "#cloud-config\nruncmd: [echo hi]\n";
    seeds.build(iso, new SeedIso.Seed(ID, "ip-10-0-0-5", KEY,
        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));

    assertThat(isoinfo(iso, "-d")).contains("Volume id: cidata");
    assertThat(isoinfo(iso, "-R", "-x", "/meta-data")).isEqualTo("instance-id: " + ID + "\n"
        + "local-hostname: ip-10-0-0-5\n"
        + "public-keys:\n  - 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7 o''brien@laptop'\n");
    assertThat(isoinfo(iso, "-J", "-x", "/user-data")).isEqualTo(userData);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso))).isEqualTo("rw-r--r--");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("seed.iso");
    }
  }

  @Test
  void withoutKeyOrUserDataTheUserDataFileIsEmpty() throws Exception {
    Path iso = dir.resolve("seed.iso");
    seeds.build(iso, new SeedIso.Seed(ID, ID, null, null));

    assertThat(isoinfo(iso, "-R", "-x", "/meta-data"))
        .isEqualTo("instance-id: " + ID + "\nlocal-hostname: " + ID + "\n");
    assertThat(isoinfo(iso, "-R", "-x", "/user-data")).isEmpty();
  }

  @Test
  void aRebuildReplacesTheSeed() throws Exception {
    Path iso = dir.resolve("seed.iso");
    seeds.build(iso, new SeedIso.Seed(ID, ID, null, null));
    seeds.build(iso, new SeedIso.Seed(ID, "ip-10-0-0-9", null, null));

    assertThat(isoinfo(iso, "-R", "-x", "/meta-data")).contains("local-hostname: ip-10-0-0-9");
  }

  @Test
  void valuesThatCouldBreakTheYamlAreRefused() {
    assertThatThrownBy(() -> SeedIso.metaData(new SeedIso.Seed(ID, ID, "ssh-rsa AAA\ninstance-id: evil", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one line");
    assertThatThrownBy(() -> SeedIso.metaData(new SeedIso.Seed(ID, "evil\ninstance-id: x", null, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hostname");
    assertThatThrownBy(() -> SeedIso.metaData(new SeedIso.Seed("i-x: y", ID, null, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance id");
    assertThatThrownBy(() -> SeedIso.metaData(new SeedIso.Seed(ID, ID, "k".repeat(10_000), null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userDataIsBoundedAndMustBeBase64() {
    String tooBig = Base64.getEncoder().encodeToString(new byte[InstanceSpec.USER_DATA_BYTES_MAX + 1]);
    assertThatThrownBy(() -> SeedIso.userData(tooBig)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16384");
    assertThat(SeedIso.userData(Base64.getEncoder().encodeToString(new byte[InstanceSpec.USER_DATA_BYTES_MAX])))
        .hasSize(InstanceSpec.USER_DATA_BYTES_MAX);
    assertThatThrownBy(() -> SeedIso.userData("not base64!")).isInstanceOf(IllegalArgumentException.class);
    // Line-wrapped base64 (as some clients send it) is fine.
    assertThat(SeedIso.userData("aGVs\nbG8=")).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
  }
}
