package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.time.ManualTime;
import dev.canopy.images.cache.ImageCache;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.node.commands.InstanceFiles;
import dev.canopy.node.commands.ProvisionedDisk;
import dev.canopy.node.commands.SparseDiskProvisioner;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.node.protocol.InstanceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disks and seeds in the cases the main tests leave out, with the real tools: qemu-img (a qcow2
 * base image, one larger than the instance type's disk, a half-made overlay a crash left) and
 * xorriso (the seed builder a node without genisoimage uses; CI installs both).
 */
class DiskProvisioningEdgesTest {

  private static final String ID = "i-0123456789abcdef0";
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private ImageServer s3;
  private ImageCache cache;
  private InstanceFiles files;
  private ImageDiskProvisioner provisioner;

  @BeforeEach
  void start() throws Exception {
    s3 = new ImageServer();
    cache = ImageCache.open(ImageCacheSettings.defaults(dataDir.resolve("images"), 64 << 20),
        ImageCache.httpClient(Duration.ofSeconds(5)), new ManualTime());
    files = new InstanceFiles(dataDir);
    provisioner = new ImageDiskProvisioner(cache, QemuImg.system(TOOL_TIMEOUT), SeedIso.system(TOOL_TIMEOUT),
        new SparseDiskProvisioner(), id -> Optional.empty(), null);
  }

  @AfterEach
  void stop() {
    s3.close();
  }

  private byte[] qcow2Image(String size) throws Exception {
    Path image = dataDir.resolve("base-" + size + ".qcow2");
    Tool.runChecked(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), size), TOOL_TIMEOUT);
    return Files.readAllBytes(image);
  }

  private InstanceSpec spec(byte[] disk) {
    ImageObject o = new ImageObject(s3.put("/disk", disk), ImageServer.sha256(disk), disk.length);
    return new InstanceSpec(ID, "111122223333", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0", null, null,
        "52:54:00:00:00:01", new ImageFiles(o, null, null), null);
  }

  private static JsonNode info(Path image) throws Exception {
    return JSON.readTree(Tool.runChecked(List.of("qemu-img", "info", "--output=json", "--force-share", image.toString()),
        TOOL_TIMEOUT).stdout());
  }

  @Test
  void aQcow2ImageIsTheOverlaysBaseByNameAndFormat() throws Exception {
    byte[] image = qcow2Image("64M");

    ProvisionedDisk disk = provisioner.provision(spec(image), files);

    JsonNode overlay = info(disk.rootDisk());
    assertThat(overlay.path("format").asText()).isEqualTo("qcow2");
    assertThat(overlay.path("backing-filename").asText())
        .isEqualTo(cache.cached(ImageServer.sha256(image)).orElseThrow().toString());
    assertThat(overlay.path("backing-filename-format").asText()).as("never probed again").isEqualTo("qcow2");
    assertThat(overlay.path("virtual-size").asLong()).as("grown to the instance type's 1 GiB").isEqualTo(1L << 30);
  }

  @Test
  void anImageLargerThanTheInstanceTypesDiskIsNeverShrunk() throws Exception {
    byte[] image = qcow2Image("2G"); // a few hundred KiB of metadata for 2 GiB of guest disk

    ProvisionedDisk disk = provisioner.provision(spec(image), files);

    assertThat(info(disk.rootDisk()).path("virtual-size").asLong()).isEqualTo(2L << 30);
  }

  @Test
  void aHalfMadeOverlayFromACrashIsReplacedAndNothingIsLeftBeside() throws Exception {
    byte[] image = qcow2Image("64M");
    Path dir = files.create(ID);
    Files.writeString(dir.resolve("root.qcow2.part"), "what a crash during qemu-img create left");

    ProvisionedDisk disk = provisioner.provision(spec(image), files);

    assertThat(info(disk.rootDisk()).path("format").asText()).isEqualTo("qcow2");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root.qcow2", "seed.iso");
    }
  }

  @Test
  void xorrisoBuildsTheSameCidataSeed() throws Exception {
    Path xorriso = Tool.onPath("xorriso");
    assumeTrue(xorriso != null, "xorriso is not installed (apt-get install xorriso; .ci/run installs it)");
    SeedIso seeds = new SeedIso(List.of(xorriso.toString(), "-as", "mkisofs"), TOOL_TIMEOUT);
    Path iso = dataDir.resolve("seed.iso");
    String userData = "#cloud-config\nruncmd: [touch /tmp/ok]\n";

    seeds.build(iso, new SeedIso.Seed(ID, "ip-10-0-0-7", SeedIsoTest.KEY,
        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));

    assertThat(SeedIsoTest.isoinfo(iso, "-d")).contains("Volume id: cidata");
    assertThat(SeedIsoTest.isoinfo(iso, "-R", "-x", "/meta-data")).isEqualTo("instance-id: " + ID + "\n"
        + "local-hostname: ip-10-0-0-7\n"
        + "public-keys:\n  - 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7 o''brien@laptop'\n");
    assertThat(SeedIsoTest.isoinfo(iso, "-J", "-x", "/user-data")).isEqualTo(userData);
    try (var left = Files.list(dataDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no staging folder or partial ISO left")
          .doesNotContain("seed.iso.d", "seed.iso.part");
    }
  }

  @Test
  void aSeedToolThatFailsSaysWhichAndWhyAndLeavesTheOldSeed() throws Exception {
    Path iso = dataDir.resolve("seed.iso");
    SeedIso.system(TOOL_TIMEOUT).build(iso, new SeedIso.Seed(ID, ID, null, null));
    byte[] before = Files.readAllBytes(iso);
    SeedIso broken = new SeedIso(List.of("/bin/sh", "-c", "echo 'no space left on device' >&2; exit 1", "mkisofs"),
        TOOL_TIMEOUT);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.build(iso, new SeedIso.Seed(ID, "ip-10-0-0-8", null, null)))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("sh failed (exit 1): no space left on device");

    assertThat(iso).hasBinaryContent(before);
    assertThat(dataDir.resolve("seed.iso.part")).doesNotExist();
    assertThat(dataDir.resolve("seed.iso.d")).doesNotExist();
  }
}
