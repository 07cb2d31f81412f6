package dev.canopy.cloud.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.grid.TestCluster;
import dev.canopy.core.time.SystemTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minting on three controllers' members in one JVM, each with its own RocksDB store. */
class EpochMintTest {

  private static final Duration NOTICE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestCluster cluster;

  @AfterEach
  void stopMembers() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private EpochMint mint(int member) {
    return new EpochMint(cluster.member(member), SystemTime.INSTANCE);
  }

  /** How many members' own stores hold exactly this epoch. */
  private long storesHolding(long epoch) {
    return IntStream.range(0, cluster.size())
        .mapToObj(i -> cluster.store(i).get(EpochMint.MAP, EpochMint.KEY))
        .filter(stored -> stored.isPresent()
            && FencedEnvelope.epochOf(new String(stored.get(), StandardCharsets.UTF_8)) == epoch)
        .count();
  }

  @Test
  void mintsCountUpFromAnyMemberAndSurviveTheCrashOfTheOwner() {
    cluster = TestCluster.start(dir, 3);
    assertThat(mint(0).current()).isZero();
    assertThat(mint(0).mint(0)).isEqualTo(1);
    assertThat(mint(1).mint(0)).isEqualTo(2);
    assertThat(mint(2).mint(0)).isEqualTo(3);
    assertThat(mint(1).current()).isEqualTo(3);

    int owner = cluster.ownerOf(EpochMint.KEY, 0);
    int survivor = (owner + 1) % 3;
    cluster.crash(owner);
    assertThat(mint(survivor).current()).as("the backup took over").isEqualTo(3);
    assertThat(mint(survivor).mint(0)).isEqualTo(4);
  }

  @Test
  void aFloorReportedByAnAgentRaisesTheEpoch() {
    cluster = TestCluster.start(dir, 3);
    EpochMint epochs = mint(0);
    assertThat(epochs.mint(41)).isEqualTo(42);
    assertThat(epochs.mint(0)).as("a lower floor changes nothing").isEqualTo(43);
    assertThat(epochs.mint(43)).isEqualTo(44);
    assertThatThrownBy(() -> epochs.mint(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyMintIsOnAMajorityOfStoresBeforeItReturns() {
    cluster = TestCluster.start(dir, 3);
    EpochMint epochs = mint(1);
    for (long expected = 1; expected <= 5; expected++) {
      assertThat(epochs.mint(0)).isEqualTo(expected);
      assertThat(storesHolding(expected)).as("owner's map store and the backup's own write").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aFullRestartLoadsTheEpochBack() {
    cluster = TestCluster.start(dir, 3);
    assertThat(mint(0).mint(0)).isEqualTo(1);
    assertThat(mint(1).mint(0)).isEqualTo(2);
    assertThat(mint(2).mint(0)).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      cluster.stop(i);
    }
    for (int i = 0; i < 3; i++) {
      cluster.start(i);
    }
    assertThat(mint(2).current()).isEqualTo(3);
    assertThat(mint(0).mint(0)).isEqualTo(4);
  }

  @Test
  void anyMajorityOfRestartedMembersRemembersTheLastEpoch() {
    cluster = TestCluster.start(dir, 3);
    EpochMint epochs = mint(0);
    for (int i = 0; i < 7; i++) {
      epochs.mint(0);
    }
    // Bring back a majority that includes a member whose store missed the last mint, if any.
    int missed = IntStream.range(0, 3)
        .filter(i -> cluster.store(i).get(EpochMint.MAP, EpochMint.KEY)
            .map(b -> FencedEnvelope.epochOf(new String(b, StandardCharsets.UTF_8)) != 7)
            .orElse(true))
        .findFirst()
        .orElse(0);
    for (int i = 0; i < 3; i++) {
      cluster.crash(i);
    }
    cluster.start(missed);
    cluster.start((missed + 1) % 3);
    await().atMost(NOTICE).until(() -> cluster.member(missed).hasMajority());
    assertThat(mint(missed).mint(0)).isEqualTo(8);
  }

  @Test
  void aMinorityCannotMint() {
    cluster = TestCluster.start(dir, 3);
    assertThat(mint(2).mint(0)).isEqualTo(1);
    EpochMint survivor = mint(2);
    cluster.stop(0);
    cluster.crash(1);
    await().atMost(NOTICE).until(() -> !cluster.member(2).hasMajority());
    assertThatThrownBy(() -> survivor.mint(0)).isInstanceOf(NoMajorityException.class);
    assertThatThrownBy(survivor::current).isInstanceOf(NoMajorityException.class);
  }
}
