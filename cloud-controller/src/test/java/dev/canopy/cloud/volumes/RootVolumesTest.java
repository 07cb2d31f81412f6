package dev.canopy.cloud.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.compute.FakeNodeCommands;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.LaunchRequest;
import dev.canopy.cloud.grid.InMemoryTable;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DescribeVolumes' root volumes: one per live instance, named after it, gone with its
 * termination, and EC2's Malformed/NotFound codes for ids.
 */
class RootVolumesTest {

  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";
  private static final Instant LAUNCH = Instant.parse("2026-01-01T00:00:00Z");

  private final ComputeFixture f = new ComputeFixture(new ComputeFixture.Tables() {
    @Override
    public <T> dev.canopy.cloud.grid.Table<T> table(String name, Class<T> type) {
      return new InMemoryTable<>();
    }
  }, () -> LAUNCH, 9);
  private final RootVolumes volumes = new RootVolumes(f.instances, f.types, f.tags);

  RootVolumesTest() {
    f.addNode("node-1", 16, 32768, 500);
  }

  private Instance run(String account, String type) {
    return f.instances.run(account, new LaunchRequest(f.systemImage.imageId(), type, 1, 1, null, List.of(), List.of(), null, null, null,
        Map.of())).instances().get(0);
  }

  private static void assertError(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
    });
  }

  @Test
  void eachLiveInstanceHasOneRootVolumeNamedAfterIt() {
    Instance micro = run(ALICE, "t3.micro");
    Instance medium = run(ALICE, "t3.medium");
    List<RootVolume> all = volumes.describe(ALICE, List.of(), List.of());
    assertThat(all).extracting(RootVolume::volumeId, RootVolume::instanceId, RootVolume::sizeGib).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("vol-" + micro.instanceId().substring(2), micro.instanceId(), 8),
        org.assertj.core.groups.Tuple.tuple("vol-" + medium.instanceId().substring(2), medium.instanceId(), 16));
    assertThat(all).allSatisfy(v -> {
      assertThat(v.device()).isEqualTo(RootVolumes.ROOT_DEVICE);
      assertThat(v.zone()).isEqualTo(ComputeFixture.ZONES.get(0));
      assertThat(v.createTime()).isEqualTo(LAUNCH);
    });
  }

  @Test
  void aStoppedInstanceKeepsItsVolumeAndATerminatedOneLosesIt() {
    Instance i = run(ALICE, "t3.micro");
    String vol = RootVolumes.volumeIdOf(i.instanceId());
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    assertThat(volumes.describe(ALICE, List.of(vol), List.of())).hasSize(1);
    assertThat(volumes.exists(ALICE, vol)).isTrue();
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertThat(volumes.describe(ALICE, List.of(), List.of())).isEmpty();
    assertError(() -> volumes.describe(ALICE, List.of(vol), List.of()), "InvalidVolume.NotFound");
    assertThat(volumes.exists(ALICE, vol)).isFalse();
  }

  @Test
  void aVolumeOfAFailedLaunchIsNotShown() {
    f.commands.answer(FakeNodeCommands::refused);
    Instance i = run(ALICE, "t3.micro");
    assertThat(volumes.describe(ALICE, List.of(), List.of())).isEmpty();
    assertThat(volumes.exists(ALICE, RootVolumes.volumeIdOf(i.instanceId()))).isFalse();
  }

  @Test
  void anotherAccountsVolumeIsNotFound() {
    Instance i = run(ALICE, "t3.micro");
    String vol = RootVolumes.volumeIdOf(i.instanceId());
    assertError(() -> volumes.describe(BOB, List.of(vol), List.of()), "InvalidVolume.NotFound");
    assertThat(volumes.describe(BOB, List.of(), List.of())).isEmpty();
    assertThat(volumes.exists(BOB, vol)).isFalse();
  }

  @Test
  void malformedIdsAreMalformedBeforeAnyLookup() {
    for (String bad : List.of("vol-1", "vol-0123456789ABCDEF0", "i-0123456789abcdef0", "volume", "vol-*")) {
      assertError(() -> volumes.describe(ALICE, List.of(bad), List.of()), "InvalidVolumeID.Malformed");
      assertThat(volumes.exists(ALICE, bad)).isFalse();
    }
  }

  @Test
  void everyMissingIdIsNamedInTheNotFoundMessage() {
    Instance i = run(ALICE, "t3.micro");
    String vol = RootVolumes.volumeIdOf(i.instanceId());
    assertThatThrownBy(() -> volumes.describe(ALICE, List.of(vol, "vol-0000000000000000a", "vol-0000000000000000b"), List.of()))
        .isInstanceOfSatisfying(AwsException.class, e -> {
          assertThat(e.code()).isEqualTo("InvalidVolume.NotFound");
          assertThat(e.getMessage()).isEqualTo("The volumes 'vol-0000000000000000a, vol-0000000000000000b' do not exist.");
        });
  }

  @Test
  void aRepeatedIdIsShownOnce() {
    Instance i = run(ALICE, "t3.micro");
    String vol = RootVolumes.volumeIdOf(i.instanceId());
    assertThat(volumes.describe(ALICE, List.of(vol, vol), List.of())).hasSize(1);
  }

  @Test
  void moreThanAThousandIdsAreRefused() {
    List<String> many = Collections.nCopies(InstanceService.IDS_MAX + 1, "vol-0123456789abcdef0");
    assertError(() -> volumes.describe(ALICE, many, List.of()), "InvalidParameterValue");
  }

  @Test
  void filtersSelectByAttachmentSizeAndTags() {
    Instance micro = run(ALICE, "t3.micro");
    Instance medium = run(ALICE, "t3.medium");
    String microVol = RootVolumes.volumeIdOf(micro.instanceId());
    f.instances.tagRootVolumes(ALICE, List.of(microVol), Map.of("backup", "daily"));
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("attachment.instance-id", List.of(medium.instanceId())))))
        .extracting(RootVolume::instanceId).containsExactly(medium.instanceId());
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("size", List.of("16"))))).extracting(RootVolume::instanceId)
        .containsExactly(medium.instanceId());
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("tag:backup", List.of("dai*"))))).extracting(RootVolume::volumeId)
        .containsExactly(microVol);
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("tag-key", List.of("backup"))))).hasSize(1);
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("status", List.of("in-use")),
        new Filter("volume-type", List.of("gp2")), new Filter("attachment.device", List.of("/dev/sda1"))))).hasSize(2);
    assertThat(volumes.describe(ALICE, List.of(), List.of(new Filter("status", List.of("available"))))).isEmpty();
    assertThat(volumes.describe(ALICE, List.of(microVol), List.of(new Filter("size", List.of("16"))))).as("ids and filters are ANDed")
        .isEmpty();
  }

  @Test
  void anUnknownFilterIsInvalidParameterValue() {
    run(ALICE, "t3.micro");
    assertError(() -> volumes.describe(ALICE, List.of(), List.of(new Filter("iops", List.of("100")))), "InvalidParameterValue");
  }

  @Test
  void anUnknownFilterIsRefusedEvenWithNoVolumes() {
    assertError(() -> volumes.describe(BOB, List.of(), List.of(new Filter("iops", List.of("100")))), "InvalidParameterValue");
  }

  @Test
  void volumeTagsAreTaggableAsVolumes() {
    Instance i = run(ALICE, "t3.micro");
    String vol = RootVolumes.volumeIdOf(i.instanceId());
    f.instances.tagRootVolumes(ALICE, List.of(vol), Map.of("Name", "root"));
    assertThat(volumes.describe(ALICE, List.of(vol), List.of()).get(0).tags()).containsExactly(Map.entry("Name", "root"));
    assertThat(volumes.taggableKind().prefix()).isEqualTo("vol");
    assertThat(volumes.taggableKind().notFoundCode()).isEqualTo("InvalidVolume.NotFound");
    assertThat(volumes.taggableKind().existence().exists(ALICE, vol)).isTrue();
    assertThat(volumes.taggableKind().existence().exists(BOB, vol)).isFalse();
  }
}
