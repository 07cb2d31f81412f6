package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncarnationCounterTest {

  @TempDir Path dataDir;

  @Test
  void increasesAcrossRestartsAndIsStoredBeforeItIsReturned() throws Exception {
    Path nested = dataDir.resolve("controller-1");
    assertThat(IncarnationCounter.next(nested)).isEqualTo(1);
    assertThat(IncarnationCounter.next(nested)).isEqualTo(2);
    assertThat(IncarnationCounter.next(nested)).isEqualTo(3);
    assertThat(Files.readString(nested.resolve(IncarnationCounter.FILE_NAME))).isEqualTo("3\n");
    assertThat(nested.resolve(IncarnationCounter.TEMP_NAME)).doesNotExist();
  }

  @Test
  void aTornTemporaryFileFromACrashIsIgnored() throws Exception {
    IncarnationCounter.next(dataDir);
    IncarnationCounter.next(dataDir);
    // A crash between creating the temporary file and renaming it leaves any prefix of it behind.
    Files.write(dataDir.resolve(IncarnationCounter.TEMP_NAME), new byte[] {'9', 0, 0, (byte) 0xff});
    assertThat(IncarnationCounter.next(dataDir)).isEqualTo(3);
    Files.writeString(dataDir.resolve(IncarnationCounter.TEMP_NAME), "");
    assertThat(IncarnationCounter.next(dataDir)).isEqualTo(4);
  }

  @Test
  void wrapsAtSixteenBitsToOneNeverZero() throws Exception {
    Files.writeString(dataDir.resolve(IncarnationCounter.FILE_NAME), "65534\n");
    assertThat(IncarnationCounter.next(dataDir)).isEqualTo(65535);
    assertThat(IncarnationCounter.next(dataDir)).isEqualTo(1);
  }

  @Test
  void anUnreadableCounterStopsTheStartInsteadOfGuessing() throws Exception {
    Path counter = dataDir.resolve(IncarnationCounter.FILE_NAME);
    Files.write(counter, "12x".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> IncarnationCounter.next(dataDir))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("12x");
    Files.writeString(counter, "70000");
    assertThatThrownBy(() -> IncarnationCounter.next(dataDir)).isInstanceOf(IllegalStateException.class);
    assertThat(Files.readString(counter)).as("left as found").isEqualTo("70000");
  }
}
