package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real qemu-img (qemu-utils), with prlimit when the machine has it. */
class QemuImgTest {

  @TempDir Path dir;
  private final QemuImg qemuImg = QemuImg.system(Duration.ofSeconds(30));

  private Path rawBase(int sizeBytes) throws IOException {
    byte[] bytes = new byte[sizeBytes];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) "canopy base image ".charAt(i % 18);
    }
    return Files.write(dir.resolve("base.raw"), bytes);
  }

  @Test
  void infoProbesFormatAndVirtualSize() throws Exception {
    Path base = rawBase(1 << 20);

    QemuImg.Info info = qemuImg.info(base);

    assertThat(info.format()).isEqualTo("raw");
    assertThat(info.virtualSizeBytes()).isEqualTo(1 << 20);
    assertThat(info.backingFile()).isNull();
    assertThat(info.safeBase()).isTrue();
  }

  @Test
  void anOverlayReadsThroughToItsBaseAndCanGrow() throws Exception {
    Path base = rawBase(1 << 20);
    Path overlay = dir.resolve("root.qcow2");

    qemuImg.createOverlay(base, "raw", overlay);
    QemuImg.Info info = qemuImg.info(overlay);
    assertThat(info.format()).isEqualTo("qcow2");
    assertThat(info.backingFile()).isEqualTo(base.toAbsolutePath().toString());
    assertThat(info.virtualSizeBytes()).isEqualTo(1 << 20);
    // An image that reads another file is never fit to be a base: a guest could read that file.
    assertThat(info.safeBase()).isFalse();

    qemuImg.resize(overlay, 1L << 30);
    assertThat(qemuImg.info(overlay).virtualSizeBytes()).isEqualTo(1L << 30);
    assertThat(Files.size(overlay)).as("sparse: growing writes no data").isLessThan(1 << 20);
  }

  @Test
  void onlyRawAndQcow2AreSafeBases() {
    assertThat(new QemuImg.Info("vmdk", 1, null, null).safeBase()).isFalse();
    assertThat(new QemuImg.Info("qcow2", 1, null, "/etc/shadow").safeBase()).isFalse();
    assertThat(new QemuImg.Info("qcow2", 1, null, null).safeBase()).isTrue();
  }

  @Test
  void errorsCarryQemuImgsMessage() {
    assertThatThrownBy(() -> qemuImg.info(dir.resolve("missing.img")))
        .isInstanceOf(IOException.class).hasMessageContaining("qemu-img failed").hasMessageContaining("missing.img");
  }
}
