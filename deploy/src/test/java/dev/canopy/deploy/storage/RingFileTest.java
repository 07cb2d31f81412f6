package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring is created once, durably, and a different member list later is refused. */
class RingFileTest {

  @TempDir
  Path data;

  @Test
  void aFirstStartCreatesTheRingAndLaterStartsReadItBack() {
    Ring created = new RingFile(data).loadOrCreate(Set.of("1", "2", "3"), "2", 16);
    assertThat(created.members()).containsExactly("1", "2", "3");
    assertThat(created.partitions()).isEqualTo(16);
    assertThat(created.targetN()).isEqualTo(3);
    assertThat(Files.isRegularFile(data.resolve(RingFile.FILE_NAME))).isTrue();

    assertThat(new RingFile(data).loadOrCreate(Set.of("3", "1", "2"), "2", 64)).isEqualTo(created);
    assertThat(new RingFile(data).loadOrCreate(Set.of(), "2", 64)).as("no list: the stored ring").isEqualTo(created);
  }

  @Test
  void aLoneNodeGetsARingOfItselfWithNOne() {
    Ring alone = new RingFile(data).loadOrCreate(Set.of(), "1", Ring.PARTITIONS_DEFAULT);
    assertThat(alone.members()).containsExactly("1");
    assertThat(alone.partitionsOwnedBy("1")).hasSize(Ring.PARTITIONS_DEFAULT);
    assertThat(BucketProps.defaults(alone.members().size()).nVal()).isEqualTo(1);
  }

  @Test
  void aChangedMemberListIsRefusedPointingAtJoinAndLeave() {
    new RingFile(data).loadOrCreate(Set.of("1", "2", "3"), "1", 16);
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(Set.of("1", "2", "3", "4"), "1", 16))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("[1, 2, 3]").hasMessageContaining("[1, 2, 3, 4]")
        .hasMessageContaining("join or leave");
  }

  @Test
  void aListWithoutThisNodeOrARingWithoutItIsRefused() {
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(Set.of("2", "3"), "1", 16)).hasMessageContaining("must list this node");
    new RingFile(data).loadOrCreate(Set.of("2", "3"), "2", 16);
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(Set.of(), "1", 16)).hasMessageContaining("not this node");
  }

  @Test
  void aDamagedRingFileStopsTheStartSayingSo() throws Exception {
    Files.write(data.resolve(RingFile.FILE_NAME), new byte[] {42, 1, 2});
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(Set.of(), "1", 16)).hasMessageContaining("is corrupt");
  }
}
