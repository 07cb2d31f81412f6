package dev.canopy.cloud.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.compute.MemoryTagStore;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.resources.ResourceIds;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DescribeImages and RegisterImage's checks in the catalog alone: Owner, ExecutableBy, ImageId
 * and filters, each bad value refused with EC2's code whatever images the account can see.
 */
class ImageDescribeTest {

  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";

  private final ImageService images = new ImageService(new InMemoryTable<>(), new InMemoryTable<>(), new MemoryTagStore(),
      new ResourceIds(new SplittableRandom(2)), () -> Instant.parse("2026-01-01T00:00:00Z"));
  private final Image system = images.registerSystemImage("canopy-tiny", "tiny", "canopy-images/tiny/disk.raw", null, null);

  private Image register(String account, String name) {
    return images.register(account, new RegisterImageRequest(name, null, "bucket/" + name + ".raw", null, "x86_64", null, null));
  }

  private static void assertError(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
    });
  }

  private List<String> ids(List<Image> found) {
    return found.stream().map(Image::imageId).toList();
  }

  @Test
  void ownersSelfCanopyAndAnAccountId() {
    Image mine = register(ALICE, "mine");
    register(BOB, "bobs");
    assertThat(ids(images.describe(ALICE, List.of("self"), List.of(), List.of(), List.of()))).containsExactly(mine.imageId());
    assertThat(ids(images.describe(ALICE, List.of(Image.SYSTEM_OWNER), List.of(), List.of(), List.of()))).containsExactly(system.imageId());
    assertThat(ids(images.describe(ALICE, List.of(ALICE), List.of(), List.of(), List.of()))).containsExactly(mine.imageId());
    assertThat(images.describe(ALICE, List.of(BOB), List.of(), List.of(), List.of())).as("bob's image is private").isEmpty();
    assertThat(images.describe(ALICE, List.of("amazon"), List.of(), List.of(), List.of())).isEmpty();
    assertThat(ids(images.describe(ALICE, List.of(), List.of(), List.of(), List.of()))).containsExactlyInAnyOrder(system.imageId(), mine.imageId());
  }

  @Test
  void aBadOwnerIsInvalidParameterValue() {
    assertError(() -> images.describe(ALICE, List.of("someone"), List.of(), List.of(), List.of()), "InvalidParameterValue");
    assertError(() -> images.describe(ALICE, List.of("12345"), List.of(), List.of(), List.of()), "InvalidParameterValue");
  }

  @Test
  void aBadExecutableByIsRefusedEvenWhenNoImageReachesIt() {
    // Alice owns no image, so Owner=self leaves none for ExecutableBy to look at.
    assertError(() -> images.describe(ALICE, List.of("self"), List.of(), List.of("everyone"), List.of()), "InvalidParameterValue");
    assertError(() -> images.describe(ALICE, List.of(), List.of(), List.of("everyone"), List.of()), "InvalidParameterValue");
  }

  @Test
  void executableByAllSelfAndAnotherAccount() {
    Image mine = register(ALICE, "mine");
    assertThat(ids(images.describe(ALICE, List.of(), List.of(), List.of("all"), List.of()))).containsExactly(system.imageId());
    assertThat(ids(images.describe(ALICE, List.of(), List.of(), List.of("self"), List.of()))).containsExactly(mine.imageId());
    assertThat(images.describe(ALICE, List.of(), List.of(), List.of(BOB), List.of())).as("not shared with bob").isEmpty();
  }

  @Test
  void idsAreMalformedOrNotFoundAndAnotherAccountsPrivateImageIsNotFound() {
    Image bobs = register(BOB, "bobs");
    for (String bad : List.of("ami-1", "img-0123456789abcdef0", "ami-0123456789ABCDEF0")) {
      assertError(() -> images.describe(ALICE, List.of(), List.of(bad), List.of(), List.of()), "InvalidAMIID.Malformed");
    }
    assertError(() -> images.describe(ALICE, List.of(), List.of("ami-0123456789abcdef0"), List.of(), List.of()), "InvalidAMIID.NotFound");
    assertError(() -> images.describe(ALICE, List.of(), List.of(bobs.imageId()), List.of(), List.of()), "InvalidAMIID.NotFound");
    assertThat(images.exists(ALICE, bobs.imageId())).isFalse();
    assertThat(images.launchable(ALICE, bobs.imageId())).isEmpty();
  }

  @Test
  void anUnknownFilterIsRefusedEvenAfterAnotherFilterMatchedNothing() {
    List<Filter> filters = List.of(new Filter("name", List.of("no-such-image")), new Filter("colour", List.of("blue")));
    assertError(() -> images.describe(ALICE, List.of(), List.of(), List.of(), filters), "InvalidParameterValue");
  }

  @Test
  void filtersMatchWithWildcards() {
    register(ALICE, "web-2026-01");
    register(ALICE, "web-2026-02");
    register(ALICE, "db-2026-01");
    assertThat(images.describe(ALICE, List.of("self"), List.of(), List.of(), List.of(new Filter("name", List.of("web-*"))))).hasSize(2);
    assertThat(images.describe(ALICE, List.of(), List.of(), List.of(), List.of(new Filter("name", List.of("*-2026-01"))))).hasSize(2);
    assertThat(images.describe(ALICE, List.of(), List.of(), List.of(), List.of(new Filter("is-public", List.of("true")))))
        .extracting(Image::imageId).containsExactly(system.imageId());
    assertThat(images.describe(ALICE, List.of(), List.of(), List.of(), List.of(new Filter("owner-alias", List.of("canopy"))))).hasSize(1);
    assertThat(images.describe(ALICE, List.of(), List.of(), List.of(), List.of(new Filter("state", List.of("available"))))).hasSize(4);
  }

  @Test
  void registerChecksNameArchitectureAndLocation() {
    assertError(() -> register(ALICE, "ab"), "InvalidParameterValue");
    assertError(() -> register(ALICE, "n".repeat(129)), "InvalidParameterValue");
    assertError(() -> register(ALICE, "bad*name"), "InvalidParameterValue");
    assertError(() -> images.register(ALICE, new RegisterImageRequest("arm", null, "b/k", null, "arm64", null, null)), "InvalidParameterValue");
    assertError(() -> images.register(ALICE, new RegisterImageRequest("nowhere", null, null, null, null, null, null)), "MissingParameter");
    assertThat(register(ALICE, "ok (v1) [x]/y.z-'@_").name()).isEqualTo("ok (v1) [x]/y.z-'@_");
  }

  @Test
  void aKernelMustBeAKernelImage() {
    Image machine = register(ALICE, "machine");
    assertError(() -> images.register(ALICE, new RegisterImageRequest("with-kernel", null, "b/k", null, null, machine.imageId(), null)),
        "InvalidParameterValue");
    assertError(() -> images.register(ALICE, new RegisterImageRequest("with-kernel", null, "b/k", null, null, "aki-0123456789abcdef0", null)),
        "InvalidAMIID.NotFound");
  }

  @Test
  void onlyTheOwnerDeregistersAndTheImageIsThenGone() {
    Image mine = register(ALICE, "mine");
    assertError(() -> images.deregister(BOB, mine.imageId()), "InvalidAMIID.NotFound");
    images.deregister(ALICE, mine.imageId());
    assertError(() -> images.describe(ALICE, List.of(), List.of(mine.imageId()), List.of(), List.of()), "InvalidAMIID.NotFound");
    assertThat(images.launchable(ALICE, mine.imageId())).isEmpty();
  }

  @Test
  void theCloudsImageCannotBeDeregisteredByATenant() {
    assertThatThrownBy(() -> images.deregister(ALICE, system.imageId())).isInstanceOfSatisfying(AwsException.class,
        e -> assertThat(e.httpStatus()).isBetween(400, 499));
    assertThat(images.launchable(ALICE, system.imageId())).isPresent();
  }
}
