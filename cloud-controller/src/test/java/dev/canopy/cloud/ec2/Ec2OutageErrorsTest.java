package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.canopy.cloud.identity.NewAccount;
import java.nio.file.Path;
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
 * A store or grid outage through the real EC2 endpoint and the AWS SDK: {@code 503
 * ServiceUnavailable} in EC2's error envelope, as S3 and the admin API answer the same outage,
 * and no trace of the exception in the body.
 */
class Ec2OutageErrorsTest {

  @TempDir Path dir;
  private Ec2TestCloud cloud;
  private Ec2Client client;

  @BeforeEach
  void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, new AccessFamilies()::build);
    NewAccount account = cloud.newAccount("outage");
    // No retries: the test looks at the one answer the endpoint gave.
    client = Ec2Client.builder()
        .endpointOverride(cloud.endpoint())
        .region(Region.of(Ec2TestCloud.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            account.credential().accessKeyId(), account.credential().secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    cloud.close();
  }

  @Test
  void aStoreThatFailsWritesIsServiceUnavailable() {
    cloud.failStoreWrites(true);

    Ec2Exception e = catchThrowableOfType(Ec2Exception.class, () -> client.createKeyPair(r -> r.keyName("during-outage")));

    assertServiceUnavailable(e);
    cloud.failStoreWrites(false);
    assertThat(client.describeKeyPairs().keyPairs()).as("nothing was half written").isEmpty();
  }

  @Test
  void aGridMemberThatStoppedIsServiceUnavailable() {
    cloud.parts().grid().close();

    Ec2Exception e = catchThrowableOfType(Ec2Exception.class, () -> client.describeKeyPairs());

    assertServiceUnavailable(e);
  }

  private static void assertServiceUnavailable(Ec2Exception e) {
    assertThat(e).as("the call fails").isNotNull();
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
    String body = e.awsErrorDetails().rawResponse().asUtf8String();
    assertThat(body).contains("<Response>", "<Errors>", "<Code>ServiceUnavailable</Code>", "<RequestID>");
    assertThat(body).doesNotContain("Exception", "\tat ", "dev.canopy", "hazelcast", "simulated");
  }
}
