package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.ManualTime;
import dev.canopy.images.cache.ImageCache;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.images.cache.ImageFetchException;
import dev.canopy.node.commands.InstanceFiles;
import dev.canopy.node.commands.ProvisionedDisk;
import dev.canopy.node.commands.SparseDiskProvisioner;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a local "S3", the real image cache, qemu-img and genisoimage. */
class ImageDiskProvisionerTest {

  static final String ID = "i-0123456789abcdef0";
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private ImageServer s3;
  private ImageCache cache;
  private InstanceFiles files;
  private ImageDiskProvisioner provisioner;

  private final byte[] disk = rawDisk(2 << 20);
  private final byte[] kernel = random(64 * 1024, 1);
  private final byte[] ramdisk = random(32 * 1024, 2);

  @BeforeEach
  void start() throws IOException {
    s3 = new ImageServer();
    cache = ImageCache.open(ImageCacheSettings.defaults(dataDir.resolve("images"), 64 << 20),
        ImageCache.httpClient(Duration.ofSeconds(5)), new ManualTime());
    files = new InstanceFiles(dataDir);
    provisioner = new ImageDiskProvisioner(cache, QemuImg.system(TOOL_TIMEOUT), SeedIso.system(TOOL_TIMEOUT),
        new SparseDiskProvisioner(), id -> id.equals(ID) ? Optional.of("10.0.0.5") : Optional.empty(), "quiet");
  }

  @AfterEach
  void stop() {
    s3.close();
  }

  /** A raw disk of text, so qemu-img's probe cannot mistake it for another format. */
  static byte[] rawDisk(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) "canopy root filesystem ".charAt(i % 23);
    }
    return b;
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private ImageObject object(String path, byte[] served, byte[] expected) {
    return new ImageObject(s3.put(path, served), ImageServer.sha256(expected), expected.length);
  }

  private InstanceSpec spec(String id, ImageFiles image) {
    return new InstanceSpec(id, "111122223333", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0",
        null, SeedIsoTest.KEY, "52:54:00:00:00:01", image, null);
  }

  private ImageFiles image() {
    return new ImageFiles(object("/disk", disk, disk), object("/kernel", kernel, kernel),
        object("/ramdisk", ramdisk, ramdisk));
  }

  private static String qemuIo(Path image, String command) throws Exception {
    return Tool.runChecked(List.of("qemu-io", "-f", "qcow2", "-c", command, image.toString()), TOOL_TIMEOUT).stdout();
  }

  @Test
  void anImageBecomesAnOverlayWithKernelRamdiskAndSeed() throws Exception {
    ProvisionedDisk result = provisioner.provision(spec(ID, image()), files);

    Path dir = files.dir(ID);
    assertThat(result.rootDisk()).isEqualTo(dir.resolve("root.qcow2"));
    assertThat(result.format()).isEqualTo("qcow2");
    assertThat(result.kernel()).isEqualTo(cache.cached(ImageServer.sha256(kernel)).orElseThrow()).hasBinaryContent(kernel);
    assertThat(result.initrd()).hasBinaryContent(ramdisk);
    assertThat(result.kernelCmdline()).isEqualTo("console=ttyS0 quiet");
    assertThat(result.seedIso()).isEqualTo(dir.resolve("seed.iso"));

    QemuImg.Info overlay = QemuImg.system(TOOL_TIMEOUT).info(result.rootDisk());
    assertThat(overlay.format()).isEqualTo("qcow2");
    assertThat(overlay.backingFile()).isEqualTo(cache.cached(ImageServer.sha256(disk)).orElseThrow().toString());
    assertThat(overlay.virtualSizeBytes()).as("grown to the instance type's root disk").isEqualTo(1L << 30);
    assertThat(qemuIo(result.rootDisk(), "read -P 0x63 0 1")).as("reads through to the base")
        .doesNotContain("Pattern verification failed");

    assertThat(SeedIsoTest.isoinfo(result.seedIso(), "-R", "-x", "/meta-data"))
        .contains("instance-id: " + ID + "\n", "local-hostname: ip-10-0-0-5\n", "AAAAC3NzaC1lZDI1NTE5AAAAIB7");
    assertThat(cache.pinsOf(ID)).containsExactlyInAnyOrder(
        ImageServer.sha256(disk), ImageServer.sha256(kernel), ImageServer.sha256(ramdisk));
    for (Path p : List.of(result.rootDisk(), result.seedIso())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-r--r--");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aDiskIsFetchedFromAMirrorWhenTheFirstStorageNodeIsDown() throws Exception {
    String down;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      down = "http://127.0.0.1:" + socket.getLocalPort() + "/disk?X-Amz-Signature=ab";
    }
    ImageObject disk = new ImageObject(down, ImageServer.sha256(this.disk), this.disk.length, List.of(s3.put("/disk", this.disk)));

    ProvisionedDisk result = provisioner.provision(spec(ID, new ImageFiles(disk, null, null)), files);

    assertThat(cache.cached(ImageServer.sha256(this.disk)).orElseThrow()).hasBinaryContent(this.disk);
    assertThat(QemuImg.system(TOOL_TIMEOUT).info(result.rootDisk()).backingFile())
        .isEqualTo(cache.cached(ImageServer.sha256(this.disk)).orElseThrow().toString());
  }

  @Test
  void aRetriedProvisionKeepsWhatTheGuestWrote() throws Exception {
    ProvisionedDisk first = provisioner.provision(spec(ID, image()), files);
    qemuIo(first.rootDisk(), "write -P 0xab 0 64k"); // the guest writes its disk
    byte[] written = Files.readAllBytes(first.rootDisk());

    ProvisionedDisk second = provisioner.provision(spec(ID, image()), files);

    assertThat(second).isEqualTo(first);
    assertThat(second.rootDisk()).hasBinaryContent(written);
    assertThat(qemuIo(second.rootDisk(), "read -P 0xab 0 64k")).doesNotContain("Pattern verification failed");
    assertThat(s3.requests("/disk")).as("the second time is a cache hit").isEqualTo(1);
  }

  @Test
  void aCorruptedDownloadNeverBecomesADisk() throws Exception {
    byte[] corrupted = disk.clone();
    corrupted[12345] ^= 0x20;
    ImageFiles bad = new ImageFiles(object("/disk", corrupted, disk), null, null);

    assertThatThrownBy(() -> provisioner.provision(spec(ID, bad), files))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("digest mismatch")
        .hasMessageNotContaining("secret");

    assertThat(s3.requests("/disk")).as("retried").isEqualTo(3);
    assertThat(files.dir(ID).resolve("root.qcow2")).doesNotExist();
    assertThat(cache.cached(ImageServer.sha256(disk))).isEmpty();
  }

  @Test
  void aBaseImageThatReadsAnotherFileIsRefused() throws Exception {
    Path evil = dataDir.resolve("evil.qcow2");
    Tool.runChecked(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", "/etc/hostname",
        evil.toString()), TOOL_TIMEOUT);
    byte[] bytes = Files.readAllBytes(evil);
    ImageFiles image = new ImageFiles(object("/evil", bytes, bytes), null, null);

    assertThatThrownBy(() -> provisioner.provision(spec(ID, image), files))
        .isInstanceOf(IOException.class).hasMessageContaining("not a usable base image");
    assertThat(files.dir(ID).resolve("root.qcow2")).doesNotExist();
  }

  @Test
  void withoutAnImageTheFallbackDiskGetsASeedToo() throws Exception {
    String other = "i-0000000a";
    ProvisionedDisk result = provisioner.provision(spec(other, null), files);

    assertThat(result.rootDisk()).isEqualTo(files.rootDisk(other));
    assertThat(result.format()).isEqualTo("raw");
    assertThat(SeedIsoTest.isoinfo(result.seedIso(), "-R", "-x", "/meta-data"))
        .contains("local-hostname: " + other + "\n");
    assertThat(cache.pinsOf(other)).isEmpty();
  }

  @Test
  void diskBootingImagesHaveNoKernelAndReleaseUnpins() throws Exception {
    ProvisionedDisk result = provisioner.provision(spec(ID, new ImageFiles(image().disk(), null, image().ramdisk())),
        files);
    assertThat(result.kernel()).isNull();
    assertThat(result.initrd()).isNull();
    assertThat(result.kernelCmdline()).isNull();
    assertThat(cache.pinsOf(ID)).containsExactly(ImageServer.sha256(disk));

    files.delete(ID);
    provisioner.release(ID);
    provisioner.release(ID);
    assertThat(cache.pinsOf(ID)).isEmpty();
  }

  @Test
  void badPayloadValuesAreIllegalArguments() {
    ImageFiles badDigest = new ImageFiles(new ImageObject(s3.put("/disk", disk), "ABC", disk.length), null, null);
    assertThatThrownBy(() -> provisioner.provision(spec(ID, badDigest), files))
        .isInstanceOf(IllegalArgumentException.class);
    InstanceSpec badUserData = new InstanceSpec(ID, "1", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0",
        "***", null, "52:54:00:00:00:01", null, null);
    assertThatThrownBy(() -> provisioner.provision(badUserData, files)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pinsSurviveARestartOfTheCache() throws Exception {
    provisioner.provision(spec(ID, image()), files);
    ImageCache reopened = ImageCache.open(ImageCacheSettings.defaults(dataDir.resolve("images"), 64 << 20),
        ImageCache.httpClient(Duration.ofSeconds(5)), new ManualTime());
    assertThat(reopened.pinsOf(ID)).hasSize(3);
    assertThat(reopened.usedBytes()).isEqualTo((long) disk.length + kernel.length + ramdisk.length);
  }
}
