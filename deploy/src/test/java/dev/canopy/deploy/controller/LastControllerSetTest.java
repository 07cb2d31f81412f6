package dev.canopy.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.membership.ControllerSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastControllerSetTest {

  private static final SortedMap<Integer, String> CONFIGURED = new TreeMap<>(Map.of(1, "10.0.0.1", 2, "10.0.0.2", 3, "10.0.0.3"));

  @TempDir Path data;

  @Test
  void aControllerThatNeverFollowedAChangeStartsWithItsCommandLine() {
    assertThat(LastControllerSet.toStartWith(data, CONFIGURED)).isEqualTo(CONFIGURED);
  }

  @Test
  void aControllerStartsWithTheLastSetItFollowedAfterAChange() throws Exception {
    SortedMap<Integer, String> now = new TreeMap<>(Map.of(3, "10.0.0.3", 4, "10.0.0.4", 5, "10.0.0.5"));
    LastControllerSet.write(data, new ControllerSet(4, now, 3));

    assertThat(LastControllerSet.toStartWith(data, CONFIGURED)).isEqualTo(now);
    assertThat(LastControllerSet.read(data)).contains(new ControllerSet(4, now, 3));
  }

  @Test
  void theSeededVersionAddsNothingToTheCommandLine() throws Exception {
    LastControllerSet.write(data, ControllerSet.seed(Map.of(1, "10.0.0.9")));

    assertThat(LastControllerSet.toStartWith(data, CONFIGURED)).isEqualTo(CONFIGURED);
  }

  @Test
  void anUnreadableFileIsIgnored() throws Exception {
    Files.writeString(data.resolve(LastControllerSet.FILE), "{not json");

    assertThat(LastControllerSet.toStartWith(data, CONFIGURED)).isEqualTo(CONFIGURED);
  }
}
