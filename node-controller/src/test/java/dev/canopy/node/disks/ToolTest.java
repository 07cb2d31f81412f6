package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolTest {

  @Test
  void capturesOutputAndExitCode() throws Exception {
    Tool.Result r = Tool.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  void aFailureCarriesTheProgramsStderr() {
    assertThatThrownBy(() -> Tool.runChecked(List.of("/bin/sh", "-c", "echo 'no such image' >&2; exit 1"),
        Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class).hasMessageContaining("sh failed (exit 1): no such image");
  }

  @Test
  void aProgramThatOverrunsItsTimeoutIsKilled() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Tool.run(List.of("/bin/sleep", "30"), Duration.ofMillis(200)))
        .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aMissingProgramIsAClearError() {
    assertThatThrownBy(() -> Tool.run(List.of("/nonexistent/qemu-img", "info"), Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class).hasMessageContaining("cannot run qemu-img");
  }
}
