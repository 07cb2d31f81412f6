package dev.canopy.cloud.consoles3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.consoleapi.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3AnswersTest {

  @Test
  void aFolderPageHasItsSubfoldersObjectsAndNextToken() {
    S3Answers.Listing page = S3Answers.listing(bytes("""
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Name>photos</Name><Prefix>2026/</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>
          <IsTruncated>true</IsTruncated>
          <Contents><Key>2026/a &amp; b.jpg</Key><LastModified>2026-12-06T10:00:00.000Z</LastModified><ETag>"abc"</ETag><Size>1234</Size></Contents>
          <CommonPrefixes><Prefix>2026/12/</Prefix></CommonPrefixes>
          <NextContinuationToken>tok-2</NextContinuationToken>
        </ListBucketResult>"""));

    assertThat(page.bucket()).isEqualTo("photos");
    assertThat(page.prefix()).isEqualTo("2026/");
    assertThat(page.folders()).containsExactly("2026/12/");
    assertThat(page.objects()).containsExactly(new S3Answers.StoredObject("2026/a & b.jpg", 1234, "2026-12-06T10:00:00.000Z", "\"abc\""));
    assertThat(page.truncated()).isTrue();
    assertThat(page.nextToken()).isEqualTo("tok-2");
  }

  @Test
  void theLastPageHasNoToken() {
    S3Answers.Listing page = S3Answers.listing(bytes(
        "<ListBucketResult><Name>b</Name><Prefix></Prefix><IsTruncated>false</IsTruncated></ListBucketResult>"));

    assertThat(page.truncated()).isFalse();
    assertThat(page.nextToken()).isNull();
    assertThat(page.objects()).isEmpty();
  }

  @Test
  void bucketsAreNamesAndDatesWithoutTheOwner() {
    S3Answers.Buckets buckets = S3Answers.buckets(bytes("""
        <ListAllMyBucketsResult><Owner><ID>123456789012</ID><DisplayName>acme</DisplayName></Owner>
        <Buckets><Bucket><Name>one</Name><CreationDate>2026-12-01T00:00:00.000Z</CreationDate></Bucket>
        <Bucket><Name>two</Name><CreationDate>2026-12-02T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>"""));

    assertThat(buckets.buckets()).extracting(S3Answers.Bucket::name).containsExactly("one", "two");
  }

  @Test
  void s3sRefusalKeepsItsCodeMessageAndStatus() {
    ApiError error = S3Answers.error(409, bytes(
        "<Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message></Error>"));

    assertThat(error.httpStatus()).isEqualTo(409);
    assertThat(error.code()).isEqualTo("BucketNotEmpty");
    assertThat(error.getMessage()).contains("not empty");
  }

  @Test
  void aRefusalWithoutABodyIsNamedByItsStatus() {
    assertThat(S3Answers.error(404, new byte[0]).code()).isEqualTo("NotFound");
    assertThat(S3Answers.error(403, bytes("<html>no</html>")).code()).isEqualTo("AccessDenied");
  }

  @Test
  void aDoctypeIsNeverExpanded() {
    assertThatThrownBy(() -> S3Answers.listing(bytes(
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ListBucketResult><Name>&e;</Name></ListBucketResult>")))
        .isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
