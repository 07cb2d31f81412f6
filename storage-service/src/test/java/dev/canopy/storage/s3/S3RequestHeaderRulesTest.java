package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each header of {@link RequestHeaderRules}: refused with NotImplemented (nothing stored) unless its value is one Canopy honours. */
class S3RequestHeaderRulesTest {

  private static final String BUCKET = "header-rules";
  private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "x-amz-acl, log-delivery-write",
      "x-amz-server-side-encryption, AES256",
      "x-amz-server-side-encryption, aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id, some-key",
      "x-amz-server-side-encryption-customer-algorithm, AES256",
      "x-amz-server-side-encryption-customer-key, MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
      "x-amz-object-lock-mode, GOVERNANCE",
      "x-amz-object-lock-retain-until-date, 2030-01-01T00:00:00Z",
      "x-amz-object-lock-legal-hold, ON",
      "x-amz-website-redirect-location, /elsewhere",
      "x-amz-storage-class, GLACIER",
      "x-amz-storage-class, ONEZONE_IA",
      "x-amz-request-payer, requester",
  })
  void aPutAskingForWhatCanopyDoesNotDoIsNotImplementedAndStoresNothing(String header, String value) throws Exception {
    String key = "refused-" + header + "-" + Math.abs(value.hashCode());
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/" + key, BODY, header, value);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(501);
    assertThat(put.body()).contains("<Code>NotImplemented</Code>").contains(header);
    assertThat(s3.http().send("HEAD", "/" + BUCKET + "/" + key, new byte[0]).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "x-amz-acl, private",
      "x-amz-acl, bucket-owner-full-control",
      "x-amz-acl, public-read",
      "x-amz-acl, authenticated-read",
      "x-amz-grant-read, uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
      "x-amz-grant-full-control, id=222222222222",
      "x-amz-storage-class, STANDARD",
      "x-amz-tagging, team=a",
      "x-amz-expected-bucket-owner, " + "111111111111",
  })
  void valuesCanopyHonoursAreAccepted(String header, String value) throws Exception {
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/accepted", BODY, header, value);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
  }

  @Test
  void anExpectedBucketOwnerThatIsNotTheOwnerIsAccessDenied() throws Exception {
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/owned", BODY, "x-amz-expected-bucket-owner", "222222222222");
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(put.body()).contains("<Code>AccessDenied</Code>");
    HttpResponse<String> list = s3.http().send("GET", "/" + BUCKET + "?list-type=2", new byte[0], "x-amz-expected-bucket-owner", "222222222222");
    assertThat(list.statusCode()).isEqualTo(403);
    HttpResponse<String> copy = s3.http().send("PUT", "/" + BUCKET + "/copy", new byte[0],
        "x-amz-copy-source", "/" + BUCKET + "/accepted", "x-amz-source-expected-bucket-owner", "222222222222");
    assertThat(copy.statusCode()).isEqualTo(403);
  }

  @Test
  void aBucketCreatedLockedIsNotImplemented() throws Exception {
    HttpResponse<String> lock = s3.http().send("PUT", "/locked-bucket", new byte[0], "x-amz-bucket-object-lock-enabled", "true");
    assertThat(lock.statusCode()).as(lock.body()).isEqualTo(501);
    assertThat(s3.alice().listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("locked-bucket");
  }

  @Test
  void aGetWithACustomerKeyIsNotImplemented() throws Exception {
    s3.http().send("PUT", "/" + BUCKET + "/plain", BODY);
    HttpResponse<String> get = s3.http().send("GET", "/" + BUCKET + "/plain", new byte[0],
        "x-amz-server-side-encryption-customer-algorithm", "AES256");
    assertThat(get.statusCode()).isEqualTo(501);
  }
}
