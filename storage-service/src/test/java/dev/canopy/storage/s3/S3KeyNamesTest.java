package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object keys as S3 users write them: spaces, '+', '%', unicode, reserved URI characters, and
 * the 1024-byte limit (counted in UTF-8 bytes, not characters).
 */
class S3KeyNamesTest {

  /** S3's documented key limit: 1024 bytes of UTF-8. */
  private static final int KEY_BYTES_MAX = 1024;

  static final String BUCKET = "keys";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static void put(String key, String body) {
    s3.alice().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
  }

  private static String get(String key) {
    return s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  private static List<String> listAll(String prefix) {
    List<String> keys = new ArrayList<>();
    s3.alice().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "with space.txt", "plus+sign", "percent%20literal", "100%", "%", "unicode-ü-日本-😀", "question?mark",
      "hash#tag", "amp&and=eq;semi", "colon:and@at", "trailing/", "tilde~and'quote\"",
      "brackets[]{}<>", "caret^pipe|backslash\\", "dot/./segment", "comma,dollar$star*"})
  void aKeyRoundTripsThroughPutGetHeadListAndDelete(String name) {
    String key = "names/" + name;
    put(key, "body of " + name);
    assertThat(get(key)).isEqualTo("body of " + name);
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key(key)).contentLength())
        .isEqualTo(("body of " + name).getBytes(StandardCharsets.UTF_8).length);
    assertThat(listAll(key)).containsExactly(key);
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key(key));
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
  }

  @Test
  void keysThatDifferOnlyInEncodingAreDifferentObjects() {
    // "a+b", "a b" and "a%2Bb" are three keys; a server that form-decoded paths would merge them.
    put("enc/a+b", "plus");
    put("enc/a b", "space");
    put("enc/a%2Bb", "literal percent");
    assertThat(get("enc/a+b")).isEqualTo("plus");
    assertThat(get("enc/a b")).isEqualTo("space");
    assertThat(get("enc/a%2Bb")).isEqualTo("literal percent");
    assertThat(listAll("enc/")).containsExactly("enc/a b", "enc/a%2Bb", "enc/a+b");
  }

  @Test
  void aRawPathIsPercentDecodedOnceAndPlusStaysPlus() throws Exception {
    put("raw/a+b c", "x");
    // '+' in a path is a plus (only query strings use it for space); %2B is a plus too.
    assertThat(s3.http().send("GET", "/" + BUCKET + "/raw/a+b%20c", new byte[0]).body()).isEqualTo("x");
    assertThat(s3.http().send("GET", "/" + BUCKET + "/raw/a%2Bb%20c", new byte[0]).body()).isEqualTo("x");
    // %2F is a slash inside the key, as on S3.
    assertThat(s3.http().send("GET", "/" + BUCKET + "/raw%2Fa+b%20c", new byte[0]).body()).isEqualTo("x");
    HttpResponse<String> doubled = s3.http().send("GET", "/" + BUCKET + "/raw/a%252Bb%2520c", new byte[0]);
    assertThat(doubled.statusCode()).isEqualTo(404);
    assertThat(doubled.body()).contains("<Code>NoSuchKey</Code>");
  }

  @Test
  void aBrokenPercentEscapeIsInvalidUri() throws Exception {
    // Refused before authentication, so an unsigned request shows it; %c3%28 is not UTF-8.
    for (String path : List.of("/" + BUCKET + "/bad%zz", "/" + BUCKET + "/bad%", "/" + BUCKET + "/bad%c3%28")) {
      String response = s3.http().raw("PUT " + path + " HTTP/1.1\r\nContent-Length: 0");
      assertThat(response).as(path).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>");
    }
    assertThat(listAll("bad")).isEmpty();
  }

  @Test
  void keysWithConsecutiveSlashesWorkWithTheJavaSdk() {
    // The SDK signs "a//b" but sends "a/%2Fb" (so that no HTTP layer collapses the slashes);
    // S3 takes both spellings as the same key and the signature must verify.
    for (String key : List.of("slashes/a//b", "slashes//lead", "slashes/trail//", "slashes/a///b")) {
      put(key, key);
      assertThat(get(key)).isEqualTo(key);
    }
    assertThat(listAll("slashes")).containsExactly("slashes//lead", "slashes/a///b", "slashes/a//b", "slashes/trail//");
  }

  @Test
  void unicodeKeysListInUtf8ByteOrder() {
    // U+FF01 is EF BC 81 in UTF-8 and sorts before U+1F600 (F0 9F 98 80), as S3 lists them;
    // Java's UTF-16 order would put the emoji (a surrogate pair, D83D) first.
    List<String> keys = List.of("order/z", "order/\uFF01", "order/😀", "order/é", "order/Z", "order/~");
    for (String key : keys) {
      put(key, key);
    }
    assertThat(listAll("order/")).containsExactly("order/Z", "order/z", "order/~", "order/é", "order/\uFF01", "order/😀");
  }

  @Test
  void aKeyOfExactly1024BytesIsAccepted() {
    String ascii = "long/" + "k".repeat(KEY_BYTES_MAX - "long/".length());
    // Two-byte characters: 512 of them are 1024 bytes though only 512 characters.
    String twoByte = "é".repeat(KEY_BYTES_MAX / 2);
    assertThat(ascii.getBytes(StandardCharsets.UTF_8)).hasSize(KEY_BYTES_MAX);
    assertThat(twoByte.getBytes(StandardCharsets.UTF_8)).hasSize(KEY_BYTES_MAX);
    for (String key : List.of(ascii, twoByte)) {
      put(key, "max");
      assertThat(get(key)).isEqualTo("max");
      assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents()).extracting(S3Object::key)
          .containsExactly(key);
    }
  }

  @Test
  void aKeyOf1025BytesIsKeyTooLongAndNothingIsStored() {
    String ascii = "toolong/" + "k".repeat(KEY_BYTES_MAX + 1 - "toolong/".length());
    // 8 + 2 × 508 + 1 = 1025 bytes in 517 characters.
    String twoByte = "toolong/" + "é".repeat(508) + "x";
    assertThat(ascii.getBytes(StandardCharsets.UTF_8)).hasSize(KEY_BYTES_MAX + 1);
    assertThat(twoByte.getBytes(StandardCharsets.UTF_8)).hasSize(KEY_BYTES_MAX + 1);
    for (String key : List.of(ascii, twoByte)) {
      assertS3Error(() -> put(key, "too long"), 400, "KeyTooLongError");
      assertS3Error(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key(key)), 400, "KeyTooLongError");
      assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key(key)), 400, null);
    }
    put("copy-source", "src");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey(ascii)), 400, "KeyTooLongError");
    assertThat(listAll("toolong/")).isEmpty();
    assertThat(s3.alice().listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
  }
}
