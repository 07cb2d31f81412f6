package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoncurrentVersionExpiration;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/** Lifecycle configurations through the SDK: stored as given, refused as AWS refuses them. */
class S3LifecycleConfigurationTest {

  private static final String BUCKET = "rules";
  private static final Tag TEAM = Tag.builder().key("team").value("blue").build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static LifecycleRule.Builder rule(String id) {
    return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
        .expiration(e -> e.days(30));
  }

  private static void put(LifecycleRule... rules) {
    s3.alice().putBucketLifecycleConfiguration(p -> p.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(rules)));
  }

  private static void assertRefused(int status, String code, LifecycleRule... rules) {
    assertS3Error(() -> put(rules), status, code);
  }

  @Test
  void everyFilterAndActionRoundTrips() {
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.getBucketLifecycleConfiguration(g -> g.bucket(BUCKET)), 404, "NoSuchLifecycleConfiguration");
    List<LifecycleRule> rules = List.of(
        rule("logs").filter(f -> f.prefix("logs/")).build(),
        rule("tagged").filter(f -> f.tag(TEAM)).expiration(e -> e.date(Instant.parse("2027-01-01T00:00:00Z"))).build(),
        rule("and").filter(f -> f.and(LifecycleRuleAndOperator.builder().prefix("tmp/").tags(TEAM)
            .objectSizeGreaterThan(10L).objectSizeLessThan(1000L).build())).build(),
        rule("big").filter(f -> f.objectSizeGreaterThan(1_000_000L)).status(ExpirationStatus.DISABLED).build(),
        rule("uploads").expiration((LifecycleExpiration) null)
            .abortIncompleteMultipartUpload(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(7).build())
            .noncurrentVersionExpiration(NoncurrentVersionExpiration.builder().noncurrentDays(5).build()).build(),
        rule("markers").expiration(e -> e.expiredObjectDeleteMarker(true)).build());
    alice.putBucketLifecycleConfiguration(p -> p.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(rules)));
    assertThat(alice.getBucketLifecycleConfiguration(g -> g.bucket(BUCKET)).rules()).isEqualTo(rules);

    alice.deleteBucketLifecycle(d -> d.bucket(BUCKET));
    assertS3Error(() -> alice.getBucketLifecycleConfiguration(g -> g.bucket(BUCKET)), 404, "NoSuchLifecycleConfiguration");
  }

  @Test
  void legacyPrefixAndMissingIdsAreAccepted() throws Exception {
    String body = "<LifecycleConfiguration><Rule><Prefix>old/</Prefix><Status>Enabled</Status>"
        + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>";
    assertThat(ContentMd5.send(s3.http(), "PUT", "/" + BUCKET + "?lifecycle", body).statusCode()).isEqualTo(200);
    LifecycleRule stored = s3.alice().getBucketLifecycleConfiguration(g -> g.bucket(BUCKET)).rules().get(0);
    assertThat(stored.prefix()).isEqualTo("old/");
    assertThat(stored.filter()).isNull();
    assertThat(stored.id()).isNotBlank();
  }

  @Test
  void invalidRulesGetAwsErrors() {
    assertRefused(400, "InvalidArgument", rule("zero").expiration(e -> e.days(0)).build());
    assertRefused(400, "InvalidArgument", rule("both").expiration(e -> e.days(1).date(Instant.parse("2027-01-01T00:00:00Z"))).build());
    assertRefused(400, "InvalidArgument", rule("noon").expiration(e -> e.date(Instant.parse("2027-01-01T12:00:00Z"))).build());
    assertRefused(400, "InvalidArgument", rule("dup").build(), rule("dup").build());
    assertRefused(400, "InvalidArgument", rule("x".repeat(256)).build());
    assertRefused(400, "InvalidArgument", rule("abort0").expiration((LifecycleExpiration) null)
        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(0)).build());
    assertRefused(400, "InvalidRequest", rule("tagged-abort").filter(f -> f.tag(TEAM))
        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
    assertRefused(400, "InvalidRequest", rule("no-action").expiration((LifecycleExpiration) null).build());
    assertRefused(501, "NotImplemented", rule("glacier")
        .transitions(Transition.builder().days(30).storageClass(TransitionStorageClass.GLACIER).build()).build());
    List<LifecycleRule> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(rule("r" + i).build());
    }
    assertRefused(400, "InvalidRequest", tooMany.toArray(LifecycleRule[]::new));
    assertS3Error(() -> s3.alice().getBucketLifecycleConfiguration(g -> g.bucket(BUCKET)), 404, "NoSuchLifecycleConfiguration");
  }

  @Test
  void malformedBodiesAreMalformedXml() throws Exception {
    for (String body : List.of(
        "<LifecycleConfiguration/>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Prefix/><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefx>logs/</Prefx></Filter><Status>Enabled</Status>"
            + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><Filter><And><Prefix>a</Prefix><Tags/></And></Filter><Status>Enabled</Status>"
            + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule>")) {
      HttpResponse<String> response = ContentMd5.send(s3.http(), "PUT", "/" + BUCKET + "?lifecycle", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).as(body).contains("<Code>MalformedXML</Code>");
    }
    HttpResponse<String> unchecked = s3.http().send("PUT", "/" + BUCKET + "?lifecycle",
        "<LifecycleConfiguration/>".getBytes());
    assertThat(unchecked.body()).contains("<Code>InvalidRequest</Code>");
  }
}
