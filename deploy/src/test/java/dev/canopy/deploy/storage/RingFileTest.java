package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring is created once, durably, with the members' addresses; afterwards it is the authority:
 * a list that differs from a ring changed by join or leave is only a source of addresses, one that
 * differs from a ring never changed is refused, and a ring without this node (it left) is refused.
 */
class RingFileTest {

  private static final SortedMap<String, String> THREE = list("1", "10.0.0.1", "2", "10.0.0.2", "3", "10.0.0.3");
  private static final SortedMap<String, String> NONE = new TreeMap<>();

  @TempDir
  Path data;

  static SortedMap<String, String> list(String... idsAndAddresses) {
    SortedMap<String, String> list = new TreeMap<>();
    for (int i = 0; i < idsAndAddresses.length; i += 2) {
      list.put(idsAndAddresses[i], idsAndAddresses[i + 1]);
    }
    return list;
  }

  @Test
  void aFirstStartCreatesTheRingWithAddressesAndLaterStartsReadItBack() {
    Ring created = new RingFile(data).loadOrCreate(THREE, "2", "10.0.0.2", 16);
    assertThat(created.members()).containsExactly("1", "2", "3");
    assertThat(created.addresses()).isEqualTo(THREE);
    assertThat(created.partitions()).isEqualTo(16);
    assertThat(created.targetN()).isEqualTo(3);
    assertThat(Files.isRegularFile(data.resolve(RingFile.FILE_NAME))).isTrue();

    assertThat(new RingFile(data).loadOrCreate(THREE, "2", "10.0.0.2", 64)).isEqualTo(created);
    assertThat(new RingFile(data).loadOrCreate(NONE, "2", "10.0.0.2", 64)).as("no list: the stored ring").isEqualTo(created);
  }

  @Test
  void aLoneNodeGetsARingOfItselfAtItsOwnAddressWithNOne() {
    Ring alone = new RingFile(data).loadOrCreate(NONE, "1", "10.0.0.9", Ring.PARTITIONS_DEFAULT);
    assertThat(alone.members()).containsExactly("1");
    assertThat(alone.addresses()).isEqualTo(Map.of("1", "10.0.0.9"));
    assertThat(alone.partitionsOwnedBy("1")).hasSize(Ring.PARTITIONS_DEFAULT);
    assertThat(BucketProps.defaults(alone.members().size()).nVal()).isEqualTo(1);
  }

  @Test
  void aListThatDiffersFromARingChangedByAJoinIsLoggedAndTheRingIsUsed() {
    RingFile file = new RingFile(data);
    Ring joined = file.loadOrCreate(THREE, "1", "10.0.0.1", 16).join("4", "10.0.0.4").ring();
    file.write(joined);

    assertThat(new RingFile(data).loadOrCreate(THREE, "1", "10.0.0.1", 16)).isEqualTo(joined);
    assertThat(new RingFile(data).loadOrCreate(list("1", "10.0.0.1"), "1", "10.0.0.1", 16)).isEqualTo(joined);
  }

  @Test
  void aListThatDiffersFromARingNeverChangedIsRefusedPointingAtJoinAndLeave() {
    new RingFile(data).loadOrCreate(THREE, "1", "10.0.0.1", 16);
    SortedMap<String, String> four = new TreeMap<>(THREE);
    four.put("4", "10.0.0.4");
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(four, "1", "10.0.0.1", 16))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("[1, 2, 3]").hasMessageContaining("[1, 2, 3, 4]")
        .hasMessageContaining("canopy storage join or leave");
  }

  @Test
  void anOldRingWithoutAddressesTakesThemFromTheList() throws Exception {
    Ring old = Ring.create(java.util.List.of("1", "2", "3"), 16, 3);
    new RingFile(data).write(old);
    assertThat(new RingFile(data).loadOrCreate(THREE, "1", "10.0.0.1", 16).addresses()).isEqualTo(THREE);
    assertThat(new RingFile(data).loadOrCreate(NONE, "1", "10.0.0.1", 16).addresses()).isEmpty();
  }

  @Test
  void aListWithoutThisNodeIsRefused() {
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(list("2", "a", "3", "b"), "1", "h", 16))
        .hasMessageContaining("must list this node");
  }

  @Test
  void aNodeThatLeftSaysItIsNoLongerAMemberWhateverTheList() {
    RingFile file = new RingFile(data);
    file.write(file.loadOrCreate(THREE, "2", "10.0.0.2", 16).leave("2").ring());

    for (SortedMap<String, String> given : java.util.List.of(NONE, THREE)) {
      assertThatThrownBy(() -> new RingFile(data).loadOrCreate(given, "2", "10.0.0.2", 16))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("storage node 2 is no longer a member").hasMessageContaining("[1, 3]")
          .hasMessageContaining("canopy storage leave");
    }
  }

  @Test
  void aDamagedRingFileStopsTheStartSayingSo() throws Exception {
    Files.write(data.resolve(RingFile.FILE_NAME), new byte[] {42, 1, 2});
    assertThatThrownBy(() -> new RingFile(data).loadOrCreate(NONE, "1", "h", 16)).hasMessageContaining("is corrupt");
  }
}
