package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Conditional GET and HEAD with the status codes S3 documents: 412 PreconditionFailed when
 * If-Match or If-Unmodified-Since fails, 304 Not Modified when If-None-Match or
 * If-Modified-Since says the client's copy is current, and S3's rules for the pairs
 * (If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over
 * If-Modified-Since true).
 */
class S3ConditionalRequestTest {

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  static final String BUCKET = "conditions";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);
  static String etag;
  static Instant lastModified;

  @BeforeAll
  static void start() throws Exception {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("doc"), RequestBody.fromString("version one"));
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("doc"));
    etag = head.eTag();
    lastModified = head.lastModified();
  }


  /** GET "doc" with conditions; returns the body, or throws S3Exception for 304 and 412. */
  private static String get(Consumer<GetObjectRequest.Builder> conditions) {
    return s3.alice().getObjectAsBytes(b -> conditions.accept(b.bucket(BUCKET).key("doc"))).asUtf8String();
  }

  private static int head(Consumer<HeadObjectRequest.Builder> conditions) {
    return s3.alice().headObject(b -> conditions.accept(b.bucket(BUCKET).key("doc"))).sdkHttpResponse().statusCode();
  }

  private static void assertBoth(Consumer<GetObjectRequest.Builder> getConditions,
      Consumer<HeadObjectRequest.Builder> headConditions, int status) {
    if (status == 200) {
      assertThat(get(getConditions)).isEqualTo("version one");
      assertThat(head(headConditions)).isEqualTo(200);
    } else {
      assertS3Error(() -> get(getConditions), status, status == 412 ? "PreconditionFailed" : null);
      assertS3Error(() -> head(headConditions), status, null);
    }
  }

  @Test
  void ifMatch() {
    assertBoth(b -> b.ifMatch(etag), b -> b.ifMatch(etag), 200);
    assertBoth(b -> b.ifMatch("*"), b -> b.ifMatch("*"), 200);
    assertBoth(b -> b.ifMatch("\"0123\", " + etag), b -> b.ifMatch("\"0123\", " + etag), 200);
    // The ETag without its quotes still names the object.
    String bare = etag.substring(1, etag.length() - 1);
    assertBoth(b -> b.ifMatch(bare), b -> b.ifMatch(bare), 200);
    assertBoth(b -> b.ifMatch("\"00000000000000000000000000000000\""), b -> b.ifMatch("\"00000000000000000000000000000000\""), 412);
  }

  @Test
  void ifNoneMatch() {
    assertBoth(b -> b.ifNoneMatch(etag), b -> b.ifNoneMatch(etag), 304);
    assertBoth(b -> b.ifNoneMatch("*"), b -> b.ifNoneMatch("*"), 304);
    assertBoth(b -> b.ifNoneMatch("\"0123\""), b -> b.ifNoneMatch("\"0123\""), 200);
  }

  @Test
  void ifModifiedSinceComparesWholeSeconds() {
    // The object's Last-Modified itself: not modified since (HTTP dates drop the milliseconds).
    assertBoth(b -> b.ifModifiedSince(lastModified), b -> b.ifModifiedSince(lastModified), 304);
    assertBoth(b -> b.ifModifiedSince(lastModified.minusSeconds(1)), b -> b.ifModifiedSince(lastModified.minusSeconds(1)), 200);
    assertBoth(b -> b.ifModifiedSince(lastModified.plusSeconds(3600)), b -> b.ifModifiedSince(lastModified.plusSeconds(3600)), 304);
  }

  @Test
  void ifUnmodifiedSinceComparesWholeSeconds() {
    assertBoth(b -> b.ifUnmodifiedSince(lastModified), b -> b.ifUnmodifiedSince(lastModified), 200);
    assertBoth(b -> b.ifUnmodifiedSince(lastModified.plusSeconds(60)), b -> b.ifUnmodifiedSince(lastModified.plusSeconds(60)), 200);
    assertBoth(b -> b.ifUnmodifiedSince(lastModified.minusSeconds(1)), b -> b.ifUnmodifiedSince(lastModified.minusSeconds(1)), 412);
  }

  @Test
  void s3sRulesForPairsOfConditions() {
    Instant before = lastModified.minusSeconds(60);
    // If-Match true and If-Unmodified-Since false: 200 (S3 GetObject documentation).
    assertBoth(b -> b.ifMatch(etag).ifUnmodifiedSince(before), b -> b.ifMatch(etag).ifUnmodifiedSince(before), 200);
    // If-None-Match false and If-Modified-Since true: 304.
    assertBoth(b -> b.ifNoneMatch(etag).ifModifiedSince(before), b -> b.ifNoneMatch(etag).ifModifiedSince(before), 304);
    // A failed If-Match wins over a matching If-None-Match: 412, not 304.
    assertBoth(b -> b.ifMatch("\"0123\"").ifNoneMatch(etag), b -> b.ifMatch("\"0123\"").ifNoneMatch(etag), 412);
    // If-None-Match true (another ETag) wins over If-Modified-Since false: 200.
    Instant later = lastModified.plusSeconds(60);
    assertBoth(b -> b.ifNoneMatch("\"0123\"").ifModifiedSince(later), b -> b.ifNoneMatch("\"0123\"").ifModifiedSince(later), 200);
  }

  @Test
  void anUnparseableDateIsIgnored() throws Exception {
    for (String header : new String[] {"If-Modified-Since", "If-Unmodified-Since"}) {
      HttpResponse<String> response = s3.http().send("GET", "/" + BUCKET + "/doc", new byte[0], header, "yesterday-ish");
      assertThat(response.statusCode()).as(header).isEqualTo(200);
      assertThat(response.body()).isEqualTo("version one");
    }
  }

  @Test
  void notModifiedCarriesTheValidatorsAndNoBody() throws Exception {
    HttpResponse<String> response = s3.http().send("GET", "/" + BUCKET + "/doc", new byte[0], "If-None-Match", etag);
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("ETag")).contains(etag);
    assertThat(response.headers().firstValue("Last-Modified")).contains(HTTP_DATE.format(lastModified));
  }

  @Test
  void conditionsAreCheckedBeforeTheRange() {
    assertS3Error(() -> get(b -> b.ifNoneMatch(etag).range("bytes=0-3")), 304, null);
    assertS3Error(() -> get(b -> b.ifMatch("\"0123\"").range("bytes=0-3")), 412, "PreconditionFailed");
    // A range that could not be served does not hide a failed precondition.
    assertS3Error(() -> get(b -> b.ifMatch("\"0123\"").range("bytes=5000-")), 412, "PreconditionFailed");
    assertThat(get(b -> b.ifMatch(etag).range("bytes=0-6"))).isEqualTo("version");
  }

  @Test
  void aMissingKeyIsNoSuchKeyWhateverTheConditions() {
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("absent").ifNoneMatch("*")), 404, "NoSuchKey");
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("absent").ifMatch(etag)), 404, "NoSuchKey");
  }

  @Test
  void aCachedCopyIsRevalidatedAfterAnOverwrite() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("cached"), RequestBody.fromString("old"));
    String oldEtag = s3.alice().headObject(b -> b.bucket(BUCKET).key("cached")).eTag();
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cached").ifNoneMatch(oldEtag)), 304, null);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("cached"), RequestBody.fromString("new"));
    var fresh = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("cached").ifNoneMatch(oldEtag));
    assertThat(fresh.asUtf8String()).isEqualTo("new");
    assertThat(fresh.response().eTag()).isNotEqualTo(oldEtag);
    // The writer who read the old version and wants to act only on it now gets 412.
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cached").ifMatch(oldEtag)), 412, "PreconditionFailed");
  }
}
