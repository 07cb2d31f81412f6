package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.ComputeErrors;
import dev.canopy.cloud.identity.NewAccount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * A follower's leader-only call over the real endpoint and the AWS SDK, when where the holder is
 * cannot be known. A controller cut off from the grid's majority cannot read the holder's
 * endpoint: that read once threw on the event loop, and the client got no answer at all until its
 * own read timeout (seen in LocalClusterIT right after a holder was cut off and came back).
 */
class Ec2LeaderForwardingTest {

  /** Far below the SDK's own timeouts: a call that hangs fails the test instead of waiting. */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Ec2TestCloud follower;
  private Ec2Client client;
  private final AtomicReference<String> handledOn = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    follower = Ec2TestCloud.start(dir, parts -> List.of(new Ec2Action() {
      @Override
      public String name() {
        return "RunInstances";
      }

      @Override
      public void handle(Ec2Request request, XmlWriter response) {
        handledOn.set(Thread.currentThread().getName());
        throw ComputeErrors.notLeader();
      }
    }));
    NewAccount account = follower.newAccount("tenant");
    client = Ec2Client.builder()
        .endpointOverride(follower.endpoint())
        .region(Region.of(Ec2TestCloud.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            account.credential().accessKeyId(), account.credential().secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()).apiCallTimeout(ANSWER_WITHIN))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    follower.close();
  }

  @Test
  void aFollowerThatCannotReadWhereTheHolderIsAnswersItsOwn503() {
    AtomicReference<String> lookedUpOn = new AtomicReference<>();
    follower.forwardLeaderCallsWith(() -> {
      lookedUpOn.set(Thread.currentThread().getName());
      throw new IllegalStateException("grid read: this controller's grid member cannot serve it now");
    });

    Ec2Exception e = catchThrowableOfType(Ec2Exception.class,
        () -> client.runInstances(r -> r.imageId("ami-12345678").minCount(1).maxCount(1)));

    assertThat(e).as("an answer, not a timeout").isNotNull();
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Unavailable");
    assertThat(e.awsErrorDetails().rawResponse().asUtf8String()).doesNotContain("Exception", "grid read");
    assertThat(lookedUpOn.get()).as("the holder's endpoint is read off the event loop").doesNotContain("eventloop");
  }

  @Test
  void aFollowerWithNoHolderToForwardToAnswersItsOwn503() {
    follower.forwardLeaderCallsWith(LeaderForwarding.NONE);

    Ec2Exception e = catchThrowableOfType(Ec2Exception.class,
        () -> client.runInstances(r -> r.imageId("ami-12345678").minCount(1).maxCount(1)));

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Unavailable");
    assertThat(handledOn.get()).isNotNull();
  }
}
