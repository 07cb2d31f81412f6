package dev.canopy.cloud.ec2;

import static dev.canopy.cloud.ec2.KeyPairActionsTest.assertCode;
import static dev.canopy.cloud.ec2.KeyPairActionsTest.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.KeyType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/** CreateTags, DeleteTags, DescribeTags through the real endpoint with the AWS SDK for Java v2. */
class TagActionsTest {

  @TempDir static Path dir;
  static Ec2TestCloud cloud;
  static Ec2Client alice;
  static Ec2Client bob;

  @BeforeAll
  static void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, new AccessFamilies()::build);
    alice = cloud.client(cloud.newAccount("tag-alice"));
    bob = cloud.client(cloud.newAccount("tag-bob"));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
  }

  @Test
  void tagsRoundTripThroughDescribeTagsAndTheFamiliesDescribes() {
    String key = alice.createKeyPair(r -> r.keyName("tagged").keyType(KeyType.ED25519)).keyPairId();
    String sg = alice.createSecurityGroup(r -> r.groupName("tagged").description("t")).groupId();
    alice.createTags(r -> r.resources(key, sg).tags(tag("Name", "box"), tag("team", "infra")));
    alice.createTags(r -> r.resources(sg).tags(tag("Name", "renamed"), tag("empty", "")));

    assertThat(alice.describeTags(r -> r.filters(filter("resource-id", key, sg))).tags())
        .extracting(TagDescription::resourceId, TagDescription::resourceType, TagDescription::key, TagDescription::value)
        .containsExactlyInAnyOrder(
            tuple(key, ResourceType.KEY_PAIR, "Name", "box"), tuple(key, ResourceType.KEY_PAIR, "team", "infra"),
            tuple(sg, ResourceType.SECURITY_GROUP, "Name", "renamed"), tuple(sg, ResourceType.SECURITY_GROUP, "team", "infra"),
            tuple(sg, ResourceType.SECURITY_GROUP, "empty", ""));
    assertThat(alice.describeTags(r -> r.filters(filter("resource-type", "security-group"), filter("key", "Name"))).tags())
        .extracting(TagDescription::value).containsExactly("renamed");
    assertThat(alice.describeTags(r -> r.filters(filter("value", "in*"))).tags()).hasSize(2);
    assertThat(alice.describeKeyPairs(r -> r.filters(filter("tag:Name", "box"))).keyPairs()).hasSize(1);
    assertThat(alice.describeKeyPairs(r -> r.filters(filter("tag-key", "team"))).keyPairs()).hasSize(1);
    assertThat(alice.describeSecurityGroups(r -> r.filters(filter("tag:Name", "renamed"))).securityGroups().get(0).tags())
        .extracting(Tag::key).containsExactly("Name", "empty", "team");

    // A value must match to delete; no value deletes whatever the value.
    alice.deleteTags(r -> r.resources(sg).tags(tag("Name", "box"), Tag.builder().key("team").build()));
    assertThat(alice.describeTags(r -> r.filters(filter("resource-id", sg))).tags()).extracting(TagDescription::key)
        .containsExactly("Name", "empty");
    alice.deleteTags(r -> r.resources(key));
    assertThat(alice.describeTags(r -> r.filters(filter("resource-id", key))).tags()).isEmpty();
    // Deleting the resource deletes its tags.
    alice.deleteSecurityGroup(r -> r.groupId(sg));
    assertThat(alice.describeTags(r -> r.filters(filter("resource-id", sg))).tags()).isEmpty();
  }

  @Test
  void errorsAndLimits() {
    String key = alice.createKeyPair(r -> r.keyName("limits").keyType(KeyType.ED25519)).keyPairId();
    assertCode(() -> alice.createTags(r -> r.resources("vol-0123456789abcdef0").tags(tag("a", "b"))), "InvalidID");
    assertCode(() -> alice.createTags(r -> r.resources("key-0000000000000000a").tags(tag("a", "b"))), "InvalidKeyPair.NotFound");
    assertCode(() -> alice.createTags(r -> r.resources("sg-0000000000000000a").tags(tag("a", "b"))), "InvalidGroup.NotFound");
    assertCode(() -> alice.createTags(r -> r.resources(key).tags(tag("aws:x", "b"))), "InvalidParameterValue");
    assertCode(() -> alice.createTags(r -> r.resources(key).tags(tag("k".repeat(129), "b"))), "InvalidParameterValue");
    assertCode(() -> alice.createTags(r -> r.resources(key).tags(tag("k", "v".repeat(257)))), "InvalidParameterValue");
    assertCode(() -> alice.createTags(r -> r.resources(key)), "MissingParameter");
    assertCode(() -> alice.createTags(r -> r.tags(tag("a", "b"))), "MissingParameter");
    List<Tag> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(tag("t" + i, "v"));
    }
    alice.createTags(r -> r.resources(key).tags(fifty));
    assertCode(() -> alice.createTags(r -> r.resources(key).tags(tag("one-more", "v"))), "TagLimitExceeded");
    assertCode(() -> alice.describeTags(r -> r.filters(filter("colour", "x"))), "InvalidParameterValue");
    // Another account can neither tag nor see nor untag.
    assertCode(() -> bob.createTags(r -> r.resources(key).tags(tag("a", "b"))), "InvalidKeyPair.NotFound");
    assertCode(() -> bob.deleteTags(r -> r.resources(key)), "InvalidKeyPair.NotFound");
    assertThat(bob.describeTags().tags()).isEmpty();
    assertThat(alice.describeTags(r -> r.filters(filter("resource-id", key))).tags()).hasSize(50);
  }

  @Test
  void describeTagsPages() {
    String key = alice.createKeyPair(r -> r.keyName("paged").keyType(KeyType.ED25519)).keyPairId();
    List<Tag> twelve = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      twelve.add(tag(String.format("p%02d", i), "v"));
    }
    alice.createTags(r -> r.resources(key).tags(twelve));
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      var page = alice.describeTags(r -> r.maxResults(5).nextToken(next).filters(filter("resource-id", key)));
      page.tags().forEach(t -> seen.add(t.key()));
      token = page.nextToken();
      pages++;
    } while (token != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(12).doesNotHaveDuplicates().isSorted();
    assertCode(() -> alice.describeTags(r -> r.maxResults(4)), "InvalidParameterValue");
    // The SDK's paginator follows nextToken to the end.
    assertThat(alice.describeTagsPaginator(r -> r.maxResults(5).filters(filter("resource-id", key))).tags().stream().count())
        .isEqualTo(12);
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
