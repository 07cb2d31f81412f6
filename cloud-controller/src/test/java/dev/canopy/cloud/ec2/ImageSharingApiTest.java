package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.identity.NewAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.OperationType;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;

/** Cross-account image sharing through the real endpoint with the AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageSharingApiTest {

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private Ec2Client alice;
  private Ec2Client bob;
  private Ec2Client carol;
  private String aliceId;
  private String bobId;
  private String carolId;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 23);
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
      actions.addAll(ImageActions.of(compute.images));
      actions.addAll(ImageAttributeActions.of(compute.images));
      return actions;
    });
    compute.addNode("node-big", 64, 131072, 2000);
    NewAccount a = cloud.newAccount("alice");
    NewAccount b = cloud.newAccount("bob");
    NewAccount c = cloud.newAccount("carol");
    aliceId = a.account().id();
    bobId = b.account().id();
    carolId = c.account().id();
    alice = cloud.client(a);
    bob = cloud.client(b);
    carol = cloud.client(c);
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private static void assertCode(Executable call, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  private String register(Ec2Client ec2, String name) {
    return ec2.registerImage(r -> r.name(name).rootDeviceName("/dev/sda1")).imageId();
  }

  private static void launch(Ec2Client ec2, String imageId) {
    assertThat(ec2.runInstances(r -> r.imageId(imageId).minCount(1).maxCount(1)).instances()).singleElement()
        .satisfies(i -> assertThat(i.imageId()).isEqualTo(imageId));
  }

  private List<LaunchPermission> permissions(String imageId) {
    return alice.describeImageAttribute(r -> r.imageId(imageId).attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions();
  }

  @Test
  void shareWithAnAccountThenRemove() {
    String image = register(alice, "shared-with-bob");
    assertCode(() -> bob.describeImages(r -> r.imageIds(image)), "InvalidAMIID.NotFound");
    assertCode(() -> launch(bob, image), "InvalidAMIID.NotFound");
    assertThat(permissions(image)).isEmpty();

    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(LaunchPermission.builder().userId(bobId).build())));
    assertThat(permissions(image)).containsExactly(LaunchPermission.builder().userId(bobId).build());
    Image seen = bob.describeImages(r -> r.imageIds(image)).images().get(0);
    assertThat(seen.ownerId()).isEqualTo(aliceId);
    assertThat(seen.publicLaunchPermissions()).isFalse();
    assertThat(bob.describeImages(r -> r.executableUsers("self")).images()).extracting(Image::imageId).contains(image);
    assertThat(alice.describeImages(r -> r.executableUsers(bobId)).images()).extracting(Image::imageId).contains(image)
        .doesNotContain(compute.systemImage.imageId());
    assertThat(alice.describeImages(r -> r.executableUsers("all")).images()).extracting(Image::imageId).doesNotContain(image);
    launch(bob, image);
    // Carol was not named: to her the image does not exist.
    assertCode(() -> carol.describeImages(r -> r.imageIds(image)), "InvalidAMIID.NotFound");
    assertCode(() -> launch(carol, image), "InvalidAMIID.NotFound");

    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.remove(LaunchPermission.builder().userId(bobId).build())));
    assertThat(permissions(image)).isEmpty();
    assertCode(() -> bob.describeImages(r -> r.imageIds(image)), "InvalidAMIID.NotFound");
    assertCode(() -> launch(bob, image), "InvalidAMIID.NotFound");
    assertThat(bob.describeImages(r -> r.executableUsers("self")).images()).extracting(Image::imageId).doesNotContain(image);
  }

  @Test
  void makePublicForEveryoneThenPrivateAgain() {
    String image = register(alice, "public-for-a-while");
    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(LaunchPermission.builder().group(PermissionGroup.ALL).build())));
    assertThat(permissions(image)).containsExactly(LaunchPermission.builder().group(PermissionGroup.ALL).build());
    assertThat(carol.describeImages(r -> r.imageIds(image)).images().get(0).publicLaunchPermissions()).isTrue();
    assertThat(carol.describeImages(r -> r.executableUsers("all")).images()).extracting(Image::imageId).contains(image);
    launch(carol, image);

    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.remove(LaunchPermission.builder().group(PermissionGroup.ALL).build())));
    assertThat(permissions(image)).isEmpty();
    assertCode(() -> carol.describeImages(r -> r.imageIds(image)), "InvalidAMIID.NotFound");
    assertCode(() -> launch(carol, image), "InvalidAMIID.NotFound");
  }

  @Test
  void theFlatFormTheCliSends() {
    String image = register(alice, "flat-form");
    alice.modifyImageAttribute(r -> r.imageId(image).attribute("launchPermission").operationType(OperationType.ADD)
        .userIds(bobId, carolId));
    assertThat(permissions(image)).extracting(LaunchPermission::userId).containsExactly(bobId, carolId);
    alice.modifyImageAttribute(r -> r.imageId(image).attribute("launchPermission").operationType(OperationType.REMOVE).userIds(carolId));
    alice.modifyImageAttribute(r -> r.imageId(image).attribute("launchPermission").operationType(OperationType.ADD).userGroups("all"));
    assertThat(permissions(image)).containsExactlyInAnyOrder(LaunchPermission.builder().group(PermissionGroup.ALL).build(),
        LaunchPermission.builder().userId(bobId).build());
    assertCode(() -> alice.modifyImageAttribute(r -> r.imageId(image).attribute("launchPermission").userIds(bobId)), "MissingParameter");
  }

  @Test
  void descriptionIsReadByViewersAndChangedByTheOwner() {
    String image = register(alice, "described");
    alice.modifyImageAttribute(r -> r.imageId(image).description(d -> d.value("a shared disk")));
    assertThat(alice.describeImageAttribute(r -> r.imageId(image).attribute(ImageAttributeName.DESCRIPTION)).description().value())
        .isEqualTo("a shared disk");
    assertThat(alice.describeImages(r -> r.imageIds(image)).images().get(0).description()).isEqualTo("a shared disk");
    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(LaunchPermission.builder().userId(bobId).build())));
    assertThat(bob.describeImageAttribute(r -> r.imageId(image).attribute(ImageAttributeName.DESCRIPTION)).description().value())
        .isEqualTo("a shared disk");
  }

  @Test
  void onlyTheOwnerModifiesOrListsShares() {
    String image = register(alice, "owned-by-alice");
    // Invisible to carol: NotFound, exactly as for an image that does not exist.
    assertCode(() -> carol.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(
        LaunchPermission.builder().userId(carolId).build()))), "InvalidAMIID.NotFound");
    alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(LaunchPermission.builder().userId(bobId).build())));
    // Visible to bob, but not his: AuthFailure, as EC2 answers.
    assertCode(() -> bob.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(
        LaunchPermission.builder().userId(carolId).build()))), "AuthFailure");
    assertCode(() -> bob.modifyImageAttribute(r -> r.imageId(image).description(d -> d.value("mine now"))), "AuthFailure");
    assertCode(() -> bob.describeImageAttribute(r -> r.imageId(image).attribute(ImageAttributeName.LAUNCH_PERMISSION)), "AuthFailure");
    // The cloud's public image belongs to no account.
    assertCode(() -> alice.modifyImageAttribute(r -> r.imageId(compute.systemImage.imageId()).launchPermission(p -> p.remove(
        LaunchPermission.builder().group(PermissionGroup.ALL).build()))), "AuthFailure");
    assertCode(() -> alice.modifyImageAttribute(r -> r.imageId(image).launchPermission(p -> p.add(
        LaunchPermission.builder().userId("not-an-account").build()))), "InvalidAMIAttributeItemValue");
    assertCode(() -> alice.modifyImageAttribute(r -> r.imageId("ami-0123456789abcdef0").launchPermission(p -> p.add(
        LaunchPermission.builder().userId(bobId).build()))), "InvalidAMIID.NotFound");
    assertCode(() -> alice.describeImageAttribute(r -> r.imageId("ami-x").attribute(ImageAttributeName.DESCRIPTION)), "InvalidAMIID.Malformed");
    assertThat(permissions(image)).containsExactly(LaunchPermission.builder().userId(bobId).build());
  }
}
