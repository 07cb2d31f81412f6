package dev.canopy.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny image that images/tiny/build.sh makes from Debian packages boots under QEMU (TCG:
 * KVM guests fail on these machines), reads its NoCloud seed, prints its marker with the
 * instance id on the serial console, and powers off on an ACPI power-button press. Needs the
 * built image (deploy/run-tests and .ci/run build it), qemu-system-x86 and genisoimage: it
 * fails, naming what is missing, rather than skipping.
 */
class TinyImageIT {

  static final Path IMAGE = Path.of("target/tiny").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void bootsPrintsItsInstanceIdAndPowersOffOnAcpi() throws Exception {
    for (String file : List.of("vmlinuz", "initramfs.gz", "root.img")) {
      assertThat(IMAGE.resolve(file)).as("run images/tiny/build.sh first (deploy/run-tests does)").exists();
    }
    require("/usr/bin/qemu-system-x86_64", "qemu-system-x86");
    require("/usr/bin/genisoimage", "genisoimage");

    Path seed = dir.resolve("seed");
    Files.createDirectories(seed);
    Files.writeString(seed.resolve("meta-data"), "instance-id: i-0a1b2c3d4e5f60718\nlocal-hostname: tiny\n");
    Files.writeString(seed.resolve("user-data"), "#cloud-config\n");
    Path iso = dir.resolve("seed.iso");
    run(List.of("/usr/bin/genisoimage", "-quiet", "-output", iso.toString(), "-volid", "cidata", "-joliet", "-rock",
        seed.resolve("user-data").toString(), seed.resolve("meta-data").toString()));

    Path console = dir.resolve("console.log");
    Path monitor = dir.resolve("monitor.sock");
    long startNanos = System.nanoTime();
    Process qemu = new ProcessBuilder("/usr/bin/qemu-system-x86_64", "-machine", "q35,accel=tcg", "-m", "256",
            "-display", "none", "-no-reboot", "-serial", "file:" + console,
            "-monitor", "unix:" + monitor + ",server,nowait",
            "-kernel", IMAGE.resolve("vmlinuz").toString(), "-initrd", IMAGE.resolve("initramfs.gz").toString(),
            "-append", "console=ttyS0 quiet panic=-1",
            "-drive", "file=" + iso + ",if=virtio,format=raw,readonly=on",
            "-nic", "user,model=virtio-net-pci")
        .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
    try {
      String marker = "CANOPY-TINY-BOOTED instance-id=i-0a1b2c3d4e5f60718";
      awaitConsole(console, marker, 120);
      System.out.printf("tiny image: boot to marker in %.1f s under TCG%n", (System.nanoTime() - startNanos) / 1e9);

      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(monitor));
        channel.write(ByteBuffer.wrap("system_powerdown\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).as("the guest powered off after the ACPI button").isTrue();
      }
      assertThat(Files.readString(console)).contains("CANOPY-TINY-POWEROFF");
    } finally {
      qemu.destroyForcibly();
    }
  }

  private static void awaitConsole(Path console, String marker, int seconds) throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(seconds))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains(marker));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no '" + marker + "' on the console within " + seconds + " s:\n"
          + (Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "(no console output)"));
    }
  }

  private static void require(String binary, String debianPackage) {
    if (!Files.isExecutable(Path.of(binary))) {
      throw new AssertionError(binary + " is missing: install Debian's " + debianPackage + " (deploy/run-tests does as root)");
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }
}
