package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Tools that sign for us-east-1 whatever the endpoint (rclone, s3cmd, restic, an SDK left at its
 * default) work against the cloud's own region by default; {@code regionStrict: true} refuses them
 * as AWS does.
 */
class SigningRegionIT {

  private static final Region TOOLS_DEFAULT = Region.US_EAST_1;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  static CanopyProcess canopy;
  static StaticCredentialsProvider tenant;

  @BeforeAll
  static void clients() throws Exception {
    canopy = cloud.process();
    tenant = cloud.tenant();
  }

  @Test
  void s3SignedForUsEast1WorksAndTheBucketLivesInTheCloudsRegion() {
    try (S3Client s3 = s3(canopy, TOOLS_DEFAULT)) {
      s3.createBucket(b -> b.bucket("signed-elsewhere"));
      s3.putObject(p -> p.bucket("signed-elsewhere").key("k"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(g -> g.bucket("signed-elsewhere").key("k")).asUtf8String()).isEqualTo("hello");
      assertThat(s3.getBucketLocation(g -> g.bucket("signed-elsewhere")).locationConstraintAsString()).isEqualTo(canopy.region());
    }
  }

  @Test
  void aUrlPresignedForUsEast1Works() throws Exception {
    try (S3Client s3 = s3(canopy, Region.of(canopy.region()))) {
      s3.createBucket(b -> b.bucket("presigned-elsewhere"));
      s3.putObject(p -> p.bucket("presigned-elsewhere").key("k"), RequestBody.fromString("presigned"));
    }
    try (S3Presigner presigner = presigner(canopy, TOOLS_DEFAULT)) {
      URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("presigned-elsewhere").key("k"))).url().toURI();
      assertThat(url.getRawQuery()).contains("%2Fus-east-1%2Fs3%2F");
      HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
      assertThat(got.body()).isEqualTo("presigned");
    }
  }

  @Test
  void ec2SignedForUsEast1Works() {
    try (Ec2Client ec2 = ec2(canopy, TOOLS_DEFAULT)) {
      assertThat(ec2.describeRegions().regions()).extracting(r -> r.regionName()).containsExactly(canopy.region());
    }
  }

  @Test
  void aWrongSecretIsStillRefusedWhateverTheRegion() {
    StaticCredentialsProvider wrong = TenantClients.provider(
        tenant.resolveCredentials().accessKeyId(), "not-" + tenant.resolveCredentials().secretAccessKey());
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(canopy.endpoint("s3"))).region(TOOLS_DEFAULT)
        .credentialsProvider(wrong).forcePathStyle(true).build()) {
      assertAwsError(s3::listBuckets, 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void aLocationConstraintOfAnotherRegionIsRefusedAsAwsRefusesIt() {
    try (S3Client s3 = s3(canopy, Region.of(canopy.region()))) {
      // A real region other than this endpoint's: AWS's answer from a region-specific endpoint.
      assertAwsError(() -> s3.createBucket(b -> b.bucket("in-paris")
          .createBucketConfiguration(c -> c.locationConstraint("eu-west-3"))), 400, "IllegalLocationConstraintException");
      // Not a region name at all.
      assertAwsError(() -> s3.createBucket(b -> b.bucket("in-nowhere")
          .createBucketConfiguration(c -> c.locationConstraint("Nowhere Land"))), 400, "InvalidLocationConstraint");
      s3.createBucket(b -> b.bucket("here").createBucketConfiguration(c -> c.locationConstraint(canopy.region())));
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("here").doesNotContain("in-paris", "in-nowhere");
    }
  }

  @Test
  void regionStrictRefusesOtherRegionsAsAws(@TempDir Path strictDir) throws Exception {
    Path config = strictDir.resolve("canopy.yaml");
    Files.writeString(config, "regionStrict: true\n");
    try (CanopyProcess strict = CanopyProcess.start(strictDir.resolve("data"), Map.of(), List.of("--config", config.toString()))) {
      StaticCredentialsProvider strictTenant = TenantClients.tenant(strict);
      try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(strict.endpoint("s3"))).region(TOOLS_DEFAULT)
          .credentialsProvider(strictTenant).forcePathStyle(true).build()) {
        assertThatThrownBy(s3::listBuckets).isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationHeaderMalformed");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
              "The authorization header is malformed; the region 'us-east-1' is wrong; expecting '" + strict.region() + "'");
        });
      }
      try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(URI.create(strict.endpoint("ec2"))).region(TOOLS_DEFAULT)
          .credentialsProvider(strictTenant).build()) {
        assertAwsError(ec2::describeRegions, 401, "AuthFailure");
      }
      try (S3Client own = TenantClients.s3(strict, strictTenant)) {
        own.listBuckets();
      }
    }
  }

  static S3Client s3(CanopyProcess cloud, Region region) {
    return S3Client.builder().endpointOverride(URI.create(cloud.endpoint("s3"))).region(region)
        .credentialsProvider(tenant).forcePathStyle(true).build();
  }

  private static S3Presigner presigner(CanopyProcess cloud, Region region) {
    return S3Presigner.builder().endpointOverride(URI.create(cloud.endpoint("s3"))).region(region).credentialsProvider(tenant)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  private static Ec2Client ec2(CanopyProcess cloud, Region region) {
    return Ec2Client.builder().endpointOverride(URI.create(cloud.endpoint("ec2"))).region(region).credentialsProvider(tenant).build();
  }

  static void assertAwsError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    });
  }
}
