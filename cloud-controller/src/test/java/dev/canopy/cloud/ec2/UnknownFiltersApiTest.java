package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.KeyType;

/**
 * A filter name the action does not support answers 400 InvalidParameterValue even when the
 * account has nothing to filter, or an earlier filter already matched nothing: a typo in a
 * Terraform data source must be an error, not "no results".
 */
class UnknownFiltersApiTest {

  @TempDir static Path dir;
  static Ec2TestCloud cloud;
  static Ec2Client empty;
  static Ec2Client busy;

  @BeforeAll
  static void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, new AccessFamilies()::build);
    empty = cloud.client(cloud.newAccount("filters-empty"));
    busy = cloud.client(cloud.newAccount("filters-busy"));
    String key = busy.createKeyPair(r -> r.keyName("k").keyType(KeyType.ED25519)).keyPairId();
    busy.createTags(r -> r.resources(key).tags(t -> t.key("Name").value("k")));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
  }

  private static Filter filter(String name, String value) {
    return Filter.builder().name(name).values(value).build();
  }

  private static void assertInvalid(Executable call) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
      assertThat(e.statusCode()).isEqualTo(400);
    });
  }

  @Test
  void describeKeyPairsWithNoKeyPairs() {
    assertInvalid(() -> empty.describeKeyPairs(r -> r.filters(filter("key-colour", "x"))));
  }

  @Test
  void describeKeyPairsAfterAFilterThatMatchedNothing() {
    assertInvalid(() -> busy.describeKeyPairs(r -> r.filters(filter("key-name", "nope"), filter("key-colour", "x"))));
    assertThat(busy.describeKeyPairs(r -> r.filters(filter("key-name", "k"), filter("tag:Name", "k"))).keyPairs()).hasSize(1);
  }

  @Test
  void describeTagsWithNoTags() {
    assertInvalid(() -> empty.describeTags(r -> r.filters(filter("resource-kind", "x"))));
  }

  @Test
  void describeTagsAfterAFilterThatMatchedNothing() {
    assertInvalid(() -> busy.describeTags(r -> r.filters(filter("key", "nope"), filter("resource-kind", "x"))));
    assertThat(busy.describeTags(r -> r.filters(filter("key", "Name"), filter("resource-type", "key-pair"))).tags()).hasSize(1);
  }

  @Test
  void describeSecurityGroupsAfterAFilterThatMatchedNothing() {
    assertInvalid(() -> busy.describeSecurityGroups(r -> r.filters(filter("group-name", "nope"), filter("group-colour", "x"))));
    assertInvalid(() -> busy.describeSecurityGroups(r -> r.filters(filter("group-name", "nope"), filter("ip-permission.colour", "x"))));
    assertThat(busy.describeSecurityGroups(r -> r.filters(filter("group-name", "default"), filter("egress.ip-permission.cidr", "0.0.0.0/0")))
        .securityGroups()).hasSize(1);
  }

  @Test
  void aRulelessDirectionStillRefusesAnUnknownRuleField() {
    // The default group has one ingress rule (itself) and one egress rule; a new group has no ingress rule at all.
    busy.createSecurityGroup(r -> r.groupName("bare").description("no ingress"));
    assertInvalid(() -> busy.describeSecurityGroups(r -> r.filters(filter("group-name", "bare"), filter("ip-permission.colour", "x"))));
  }
}
