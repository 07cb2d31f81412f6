package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.node.protocol.CommandTypes;
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
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The instance family's request parsing as an SDK user meets it: each bad or missing parameter
 * answers EC2's code and HTTP status, DryRun answers DryRunOperation (412) and changes nothing,
 * and MaxResults/NextToken keep EC2's bounds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceParametersApiTest {

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private Ec2Client alice;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 17);
      return new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
    });
    compute.addNode("node-big", 64, 131072, 2000);
    alice = cloud.client(cloud.newAccount("params-alice"));
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private String ami() {
    return compute.systemImage.imageId();
  }

  private String runOne() {
    return alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1)).instances().get(0).instanceId();
  }

  private static void assertError(Executable call, int status, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(status);
    });
  }

  private static TagSpecification instanceTags(Tag... tags) {
    return TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  @Test
  void dryRunAnswersDryRunOperationAndLaunchesNothing() {
    int runs = compute.commands.sent(CommandTypes.RUN_INSTANCE).size();
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).dryRun(true)), 412, "DryRunOperation");
    assertThat(compute.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(runs);
  }

  @Test
  void dryRunOfStopAndTerminateLeavesTheInstanceRunning() {
    String id = runOne();
    assertError(() -> alice.stopInstances(r -> r.instanceIds(id).dryRun(true)), 412, "DryRunOperation");
    assertError(() -> alice.terminateInstances(r -> r.instanceIds(id).dryRun(true)), 412, "DryRunOperation");
    assertError(() -> alice.rebootInstances(r -> r.instanceIds(id).dryRun(true)), 412, "DryRunOperation");
    assertError(() -> alice.describeInstances(r -> r.instanceIds(id).dryRun(true)), 412, "DryRunOperation");
    assertThat(alice.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0).state().name())
        .isEqualTo(InstanceStateName.RUNNING);
  }

  @Test
  void dryRunFalseIsAnOrdinaryCall() {
    String id = runOne();
    assertThat(alice.describeInstances(r -> r.instanceIds(id).dryRun(false)).reservations()).hasSize(1);
  }

  @Test
  void lifecycleActionsWithoutAnInstanceIdAreMissingParameter() {
    assertError(() -> alice.stopInstances(r -> { }), 400, "MissingParameter");
    assertError(() -> alice.startInstances(r -> { }), 400, "MissingParameter");
    assertError(() -> alice.terminateInstances(r -> { }), 400, "MissingParameter");
    assertError(() -> alice.rebootInstances(r -> { }), 400, "MissingParameter");
  }

  @Test
  void runInstancesWithoutAnImageIsMissingParameter() {
    assertError(() -> alice.runInstances(r -> r.minCount(1).maxCount(1)), 400, "MissingParameter");
  }

  @Test
  void malformedIdsAreMalformedEvenBesideAGoodOne() {
    String id = runOne();
    for (String bad : List.of("i-", "i-0123", "i-0123456789ABCDEF0", "x-0123456789abcdef0", "0123456789abcdef0")) {
      assertError(() -> alice.describeInstances(r -> r.instanceIds(id, bad)), 400, "InvalidInstanceID.Malformed");
    }
    assertError(() -> alice.terminateInstances(r -> r.instanceIds(id, "i-nope")), 400, "InvalidInstanceID.Malformed");
    assertThat(alice.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0).state().name())
        .isEqualTo(InstanceStateName.RUNNING);
  }

  @Test
  void countsOutOfBoundsAreInvalidParameterValue() {
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1001).maxCount(1001)), 400, "InvalidParameterValue");
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(0)), 400, "InvalidParameterValue");
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(-1).maxCount(1)), 400, "InvalidParameterValue");
  }

  @Test
  void aClientTokenOf64CharactersIsAcceptedAnd65IsNot() {
    String token = "t".repeat(64);
    String first = alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken(token)).reservationId();
    assertThat(alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken(token)).reservationId()).isEqualTo(first);
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken("t".repeat(65))), 400,
        "InvalidParameterValue");
  }

  @Test
  void anUnknownShutdownBehaviourIsInvalidParameterValue() {
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).instanceInitiatedShutdownBehavior("hibernate")),
        400, "InvalidParameterValue");
  }

  @Test
  void insufficientCapacityIsAServerErrorTheSdkRetries() {
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).instanceType("m5.xlarge").minCount(100).maxCount(100)), 500,
        "InsufficientInstanceCapacity");
  }

  @Test
  void maxResultsBelowFiveOrAboveAThousandIsInvalidParameterValue() {
    runOne();
    assertError(() -> alice.describeInstances(r -> r.maxResults(4)), 400, "InvalidParameterValue");
    assertError(() -> alice.describeInstances(r -> r.maxResults(1001)), 400, "InvalidParameterValue");
    assertThat(alice.describeInstances(r -> r.maxResults(5)).reservations()).isNotEmpty();
    assertThat(alice.describeInstances(r -> r.maxResults(1000)).nextToken()).isNull();
  }

  @Test
  void aForgedNextTokenIsInvalidParameterValueNotAServerError() {
    runOne();
    for (String forged : List.of("garbage", "!!!", "AAAA", "eyJ4IjoxfQ==")) {
      assertError(() -> alice.describeInstances(r -> r.maxResults(5).nextToken(forged)), 400, "InvalidParameterValue");
    }
  }

  @Test
  void instanceIdsWithMaxResultsIsInvalidParameterCombination() {
    String id = runOne();
    assertError(() -> alice.describeInstances(r -> r.instanceIds(id).maxResults(5)), 400, "InvalidParameterCombination");
  }

  @Test
  void launchTagsFollowTheTagRules() {
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1)
        .tagSpecifications(instanceTags(tag("Name", "v".repeat(257))))), 400, "InvalidParameterValue");
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1)
        .tagSpecifications(instanceTags(tag("AWS:owner", "me")))), 400, "InvalidParameterValue");
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1)
        .tagSpecifications(instanceTags(tag("k".repeat(129), "v")))), 400, "InvalidParameterValue");
    Tag[] many = new Tag[51];
    for (int n = 0; n < many.length; n++) {
      many[n] = tag("k" + n, "v");
    }
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).tagSpecifications(instanceTags(many))), 400,
        "TagLimitExceeded");
    Tag[] fifty = java.util.Arrays.copyOf(many, 50);
    Instance launched = alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).tagSpecifications(instanceTags(fifty)))
        .instances().get(0);
    assertThat(launched.tags()).hasSize(50);
  }

  @Test
  void aDuplicateTagKeyInOneRequestIsRefused() {
    assertError(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1)
        .tagSpecifications(instanceTags(tag("Name", "a"), tag("Name", "b")))), 400, "InvalidParameterValue");
  }

  @Test
  void stateFiltersTakeWildcards() {
    String id = runOne();
    alice.stopInstances(r -> r.instanceIds(id));
    List<String> stopped = alice.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name").values("stop*").build()))
        .reservations().stream().flatMap(res -> res.instances().stream()).map(Instance::instanceId).toList();
    assertThat(stopped).contains(id);
    List<String> none = alice.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name").values("stop?").build()))
        .reservations().stream().flatMap(res -> res.instances().stream()).map(Instance::instanceId).toList();
    assertThat(none).doesNotContain(id);
  }
}
