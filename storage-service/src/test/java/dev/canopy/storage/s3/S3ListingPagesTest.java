package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.canopy.storage.backend.ListingModel;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjectsV2 and ListObjects paged at every size that has a boundary (1, 2, 1000) over 1,000+
 * keys, held against a model of S3's rule written here from the documentation: keys after the
 * start in UTF-8 byte order, under the prefix, those with the delimiter after the prefix rolled up
 * into one common prefix each, keys and prefixes together counted against max-keys.
 */
class S3ListingPagesTest {

  static final String BUCKET = "pages";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);
  static final List<String> KEYS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // 1,005 keys under bulk/ cross the 1000-key page; the rest share prefixes in every way.
    IntStream.range(0, 1005).forEach(i -> KEYS.add(String.format("bulk/%04d", i)));
    KEYS.addAll(List.of("a", "a/", "a/b", "a/b/c", "a/b/d", "a/c", "a-b", "a.b", "ab", "ab/c", "b/1", "b/2/x", "b//y",
        "c--d--e", "c--f", "c-g", "dir/ü/1", "dir/ü/2", "dir/\uFF01", "dir/😀", "dir/z", "sp ace/k", "plus+/k", "z"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (String key : KEYS) {
        puts.add(pool.submit(() -> s3.alice().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key))));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdown();
    }
  }


  static List<String> expected(String prefix, String delimiter, String startAfter) {
    return ListingModel.entries(KEYS, prefix, delimiter, startAfter);
  }

  /** Follows NextContinuationToken as a client does, checking each page's own numbers. */
  static List<String> listV2(String prefix, String delimiter, String startAfter, int maxKeys) {
    List<String> entries = new ArrayList<>();
    String token = null;
    for (int page = 0; page < 2000; page++) {
      String current = token;
      ListObjectsV2Response response = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)
          .delimiter(delimiter.isEmpty() ? null : delimiter).startAfter(startAfter.isEmpty() ? null : startAfter)
          .maxKeys(maxKeys).continuationToken(current));
      int count = response.contents().size() + response.commonPrefixes().size();
      assertThat(response.keyCount()).isEqualTo(count);
      assertThat(count).isLessThanOrEqualTo(maxKeys);
      entries.addAll(entriesOf(response.contents(), response.commonPrefixes()));
      if (!response.isTruncated()) {
        assertThat(response.nextContinuationToken()).isNull();
        return entries;
      }
      // A truncated page is full: S3 never returns a short page with more to come.
      assertThat(count).isEqualTo(maxKeys);
      token = response.nextContinuationToken();
      assertThat(token).isNotBlank();
    }
    throw new AssertionError("listing did not end");
  }

  /** ListObjects v1 resumes at NextMarker, or at the last key when S3 sends none (no delimiter). */
  static List<String> listV1(String prefix, String delimiter, String marker, int maxKeys) {
    List<String> entries = new ArrayList<>();
    String next = marker;
    for (int page = 0; page < 2000; page++) {
      String current = next;
      ListObjectsResponse response = s3.alice().listObjects(b -> b.bucket(BUCKET).prefix(prefix)
          .delimiter(delimiter.isEmpty() ? null : delimiter).marker(current.isEmpty() ? null : current).maxKeys(maxKeys));
      assertThat(response.contents().size() + response.commonPrefixes().size()).isLessThanOrEqualTo(maxKeys);
      entries.addAll(entriesOf(response.contents(), response.commonPrefixes()));
      if (!response.isTruncated()) {
        return entries;
      }
      if (delimiter.isEmpty()) {
        assertThat(response.nextMarker()).isNull();
        next = response.contents().get(response.contents().size() - 1).key();
      } else {
        assertThat(response.nextMarker()).isNotNull();
        next = response.nextMarker();
      }
    }
    throw new AssertionError("listing did not end");
  }

  private static List<String> entriesOf(List<S3Object> contents, List<CommonPrefix> prefixes) {
    return ListingModel.pageEntries(contents.stream().map(S3Object::key).toList(),
        prefixes.stream().map(CommonPrefix::prefix).toList());
  }

  @ParameterizedTest(name = "prefix={0} delimiter={1} start-after={2} max-keys={3}")
  @CsvSource(value = {
      "'', '', '', 1000", "'', '', '', 2", "'', /, '', 1", "'', /, '', 2", "'', /, '', 1000",
      "bulk/, '', '', 1000", "bulk/, '', '', 999", "bulk/, '', bulk/0998, 2", "bulk/, /, '', 1",
      "a, /, '', 1", "a, /, '', 2", "a/, /, '', 1", "a/b, /, '', 1", "a, '', a/b, 2",
      "'', --, '', 1", "c, -, '', 2", "dir/, /, '', 1", "dir/, '', '', 1", "dir/, ü, '', 1",
      "'', /, a/c, 2", "'', /, bulk, 1000", "zz, /, '', 1", "'', '', z, 1000", "'', '', zzz, 5", "'', b, '', 3"})
  void v2PagesConcatenateToTheModel(String prefix, String delimiter, String startAfter, int maxKeys) {
    assertThat(listV2(prefix, delimiter, startAfter, maxKeys)).containsExactlyElementsOf(expected(prefix, delimiter, startAfter));
  }

  @ParameterizedTest(name = "prefix={0} delimiter={1} marker={2} max-keys={3}")
  @CsvSource(value = {
      "'', '', '', 1000", "'', /, '', 1", "'', /, '', 2", "bulk/, '', bulk/0003, 1000", "a, /, '', 1", "a, '', '', 2",
      "dir/, /, '', 1", "'', --, '', 2", "'', /, a/c, 1"})
  void v1PagesConcatenateToTheModel(String prefix, String delimiter, String marker, int maxKeys) {
    assertThat(listV1(prefix, delimiter, marker, maxKeys)).containsExactlyElementsOf(expected(prefix, delimiter, marker));
  }

  @Test
  void theFirstPageOfAThousandStopsAtTheThousandthKey() {
    ListObjectsV2Response first = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("bulk/"));
    assertThat(first.keyCount()).isEqualTo(1000);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.contents().get(999).key()).isEqualTo("bulk/0999");
    ListObjectsV2Response second = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("bulk/")
        .continuationToken(first.nextContinuationToken()));
    assertThat(second.contents()).extracting(S3Object::key)
        .containsExactly("bulk/1000", "bulk/1001", "bulk/1002", "bulk/1003", "bulk/1004");
    assertThat(second.isTruncated()).isFalse();
    assertThat(second.continuationToken()).isEqualTo(first.nextContinuationToken());
  }

  @Test
  void maxKeysAboveAThousandIsCappedAtAThousand() {
    ListObjectsV2Response page = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).maxKeys(5000));
    assertThat(page.keyCount()).isEqualTo(1000);
    assertThat(page.isTruncated()).isTrue();
  }

  @Test
  void maxKeysZeroIsAnEmptyCompletePage() {
    // As AWS answers it: nothing, not truncated, no token. A truncated empty page would send a
    // paginator round in circles, its token pointing where it already is.
    ListObjectsV2Response v2 = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).maxKeys(0));
    assertThat(v2.keyCount()).isZero();
    assertThat(v2.contents()).isEmpty();
    assertThat(v2.isTruncated()).isFalse();
    assertThat(v2.nextContinuationToken()).isNull();
    ListObjectsResponse v1 = s3.alice().listObjects(b -> b.bucket(BUCKET).maxKeys(0).delimiter("/"));
    assertThat(v1.contents()).isEmpty();
    assertThat(v1.commonPrefixes()).isEmpty();
    assertThat(v1.isTruncated()).isFalse();
    assertThat(v1.nextMarker()).isNull();
  }

  @Test
  void aContinuationTokenWinsOverStartAfter() {
    ListObjectsV2Response first = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).startAfter("bulk/0001").maxKeys(1));
    assertThat(first.contents()).extracting(S3Object::key).containsExactly("bulk/0002");
    ListObjectsV2Response second = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).startAfter("bulk/0001").maxKeys(1)
        .continuationToken(first.nextContinuationToken()));
    assertThat(second.contents()).extracting(S3Object::key).containsExactly("bulk/0003");
    assertThat(second.startAfter()).isEqualTo("bulk/0001");
  }

  @Test
  void commonPrefixesAreReturnedOnceAcrossPageBoundaries() {
    // With max-keys 1 every page is one entry; "a/" must not come back after the page that had it.
    List<String> pages = listV2("", "/", "", 1);
    assertThat(pages).doesNotHaveDuplicates();
    assertThat(pages).contains("P:a/", "P:b/", "P:bulk/", "P:dir/", "P:sp ace/", "P:plus+/", "K:a", "K:ab", "K:z");
    assertThat(pages).noneMatch(e -> e.startsWith("K:a/") || e.startsWith("K:bulk/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage!", "", "bm90LWEtdG9rZW4", "MjpidWxrLzAwMDE", "%%%"})
  void anInvalidContinuationTokenIsInvalidArgument(String token) throws Exception {
    // bm90LWEtdG9rZW4 is "not-a-token"; MjpidWxrLzAwMDE is "2:bulk/0001", another version's token.
    HttpResponse<String> response = s3.http().send("GET", "/" + BUCKET + "?list-type=2&continuation-token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8), new byte[0]);
    assertThat(response.statusCode()).as(token).isEqualTo(400);
    assertThat(response.body()).as(token).contains("<Code>InvalidArgument</Code>");
  }

  @Test
  void aTokenIsOpaqueButStable() {
    String token = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).maxKeys(3)).nextContinuationToken();
    assertThat(Base64.getUrlDecoder().decode(token)).isNotEmpty();
    String again = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).maxKeys(3)).nextContinuationToken();
    assertThat(again).isEqualTo(token);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.5", "99999999999999999999"})
  void anInvalidMaxKeysIsInvalidArgument(String maxKeys) throws Exception {
    for (String listType : List.of("list-type=2&", "")) {
      HttpResponse<String> response = s3.http().send("GET", "/" + BUCKET + "?" + listType + "max-keys=" + maxKeys, new byte[0]);
      assertThat(response.statusCode()).as(listType + maxKeys).isEqualTo(400);
      assertThat(response.body()).contains("<Code>InvalidArgument</Code>");
    }
  }

  @Test
  void anUnknownEncodingTypeIsInvalidArgument() {
    assertS3Error(() -> s3.alice().listObjectsV2(b -> b.bucket(BUCKET).encodingType("base64")), 400, "InvalidArgument");
    assertS3Error(() -> s3.alice().listObjects(b -> b.bucket(BUCKET).encodingType("base64")), 400, "InvalidArgument");
  }

  private static List<String> xmlValues(String xml, String element) {
    List<String> values = new ArrayList<>();
    Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  @Test
  void encodingTypeUrlEncodesKeysPrefixesAndEchoedParameters() throws Exception {
    HttpResponse<String> response = s3.http().send("GET", "/" + BUCKET
        + "?list-type=2&encoding-type=url&prefix=dir%2F&delimiter=%C3%BC&start-after=dir%2Fz", new byte[0]);
    assertThat(response.statusCode()).isEqualTo(200);
    String xml = response.body();
    assertThat(xmlValues(xml, "EncodingType")).containsExactly("url");
    assertThat(xmlValues(xml, "Delimiter")).containsExactly("%C3%BC");
    assertThat(xmlValues(xml, "StartAfter")).containsExactly("dir%2Fz");
    // The request's prefix, then the one common prefix (dir/ü/1 and dir/ü/2 roll up into it).
    assertThat(xmlValues(xml, "Prefix")).containsExactly("dir%2F", "dir%2F%C3%BC");
    assertThat(xmlValues(xml, "Key")).containsExactly("dir%2F%EF%BC%81", "dir%2F%F0%9F%98%80");
    List<String> keys = xmlValues(xml, "Key").stream().map(k -> URLDecoder.decode(k, StandardCharsets.UTF_8)).toList();
    assertThat(keys).containsExactly("dir/\uFF01", "dir/😀");
  }

  @Test
  void encodingTypeUrlCarriesKeysXmlCannot() throws Exception {
    // A control character is legal in a key but not in XML 1.0: only the url encoding keeps it.
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/ctl/bell%07tab%09", "x".getBytes());
    assertThat(put.statusCode()).isEqualTo(200);
    HttpResponse<String> listed = s3.http().send("GET", "/" + BUCKET + "?list-type=2&encoding-type=url&prefix=ctl%2F", new byte[0]);
    assertThat(xmlValues(listed.body(), "Key")).containsExactly("ctl%2Fbell%07tab%09");
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("ctl/").encodingType("url")).contents())
        .extracting(S3Object::key).containsExactly("ctl/bell\u0007tab\t");
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key("ctl/bell\u0007tab\t"));
  }

  @Test
  void anEmptyBucketAndAPrefixWithNoKeysListNothing() {
    s3.alice().createBucket(b -> b.bucket("pages-empty"));
    ListObjectsV2Response empty = s3.alice().listObjectsV2(b -> b.bucket("pages-empty").maxKeys(1));
    assertThat(empty.keyCount()).isZero();
    assertThat(empty.isTruncated()).isFalse();
    assertThat(empty.contents()).isEmpty();
    ListObjectsV2Response none = s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("no-such-prefix/").delimiter("/"));
    assertThat(none.keyCount()).isZero();
    assertThat(none.commonPrefixes()).isEmpty();
  }
}
