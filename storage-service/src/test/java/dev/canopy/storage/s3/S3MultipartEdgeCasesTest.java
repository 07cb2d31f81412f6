package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Multipart uploads where clients get them wrong or where a server can lose them: parts out of
 * order and replaced, gaps, every completion error with its S3 code, completing twice, paging
 * of parts and uploads, another account, and uploads that outlive a restart of the store.
 */
class S3MultipartEdgeCasesTest {

  private static final int MIB = 1024 * 1024;
  private static final int PART_MIN = 5 * MIB;

  @TempDir Path dir;
  S3TestServer s3;
  S3Client alice;
  static final String BUCKET = "mp-edges";

  @BeforeEach
  void start() throws Exception {
    s3 = S3TestServer.withBucket(dir, BUCKET);
    alice = s3.alice;
  }

  @AfterEach
  void stop() throws Exception {
    s3.close();
  }

  private String create(String key) {
    return alice.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
  }

  private CompletedPart upload(String key, String uploadId, int number, byte[] data) {
    String etag = alice.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
        RequestBody.fromBytes(data)).eTag();
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private void complete(String key, String uploadId, CompletedPart... parts) {
    alice.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
  }

  private byte[] get(String key) {
    return alice.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void partsUploadedOutOfOrderAssembleByPartNumber() {
    byte[] p1 = randomBytes(PART_MIN, 1);
    byte[] p2 = randomBytes(PART_MIN, 2);
    byte[] p3 = randomBytes(7, 3);
    String id = create("ordered");
    CompletedPart c3 = upload("ordered", id, 3, p3);
    CompletedPart c1 = upload("ordered", id, 1, p1);
    CompletedPart c2 = upload("ordered", id, 2, p2);
    complete("ordered", id, c1, c2, c3);
    assertThat(get("ordered")).isEqualTo(concat(p1, p2, p3));
  }

  @Test
  void aReuploadedPartReplacesTheFirstAndItsOldEtagIsInvalidPart() {
    byte[] first = randomBytes(PART_MIN, 4);
    byte[] second = randomBytes(PART_MIN, 5);
    byte[] last = randomBytes(10, 6);
    String id = create("replaced");
    CompletedPart old = upload("replaced", id, 1, first);
    CompletedPart now = upload("replaced", id, 1, second);
    CompletedPart tail = upload("replaced", id, 2, last);
    assertThat(now.eTag()).isNotEqualTo(old.eTag());
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("replaced").uploadId(id)).parts())
        .extracting(Part::partNumber, Part::eTag)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, now.eTag()), org.assertj.core.groups.Tuple.tuple(2, tail.eTag()));
    assertS3Error(() -> complete("replaced", id, old, tail), 400, "InvalidPart");
    complete("replaced", id, now, tail);
    assertThat(get("replaced")).isEqualTo(concat(second, last));
  }

  @Test
  void partNumbersMayHaveGapsAndUnlistedPartsAreDropped() {
    byte[] p2 = randomBytes(PART_MIN, 7);
    byte[] p5 = randomBytes(PART_MIN + 1, 8);
    byte[] p9 = randomBytes(3, 9);
    String id = create("gaps");
    CompletedPart c2 = upload("gaps", id, 2, p2);
    upload("gaps", id, 3, randomBytes(100, 10)); // uploaded, then left out of the completion
    CompletedPart c5 = upload("gaps", id, 5, p5);
    CompletedPart c9 = upload("gaps", id, 9, p9);
    complete("gaps", id, c2, c5, c9);
    assertThat(get("gaps")).isEqualTo(concat(p2, p5, p9));
    assertThat(alice.headObject(b -> b.bucket(BUCKET).key("gaps")).eTag()).endsWith("-3\"");
  }

  @Test
  void aSmallPartBeforeTheLastIsEntityTooSmallAndTheUploadSurvives() {
    byte[] shortFirst = randomBytes(PART_MIN - 1, 11);
    String id = create("small");
    CompletedPart c1 = upload("small", id, 1, shortFirst);
    CompletedPart c2 = upload("small", id, 2, randomBytes(10, 12));
    assertS3Error(() -> complete("small", id, c1, c2), 400, "EntityTooSmall");
    // The failed completion changed nothing: fix part 1 and complete.
    byte[] fullFirst = randomBytes(PART_MIN, 13);
    CompletedPart fixed = upload("small", id, 1, fullFirst);
    complete("small", id, fixed, c2);
    assertThat(get("small")).hasSize(PART_MIN + 10);
  }

  @Test
  void completionErrorsFollowS3sOrderOfChecks() throws Exception {
    String id = create("errors");
    CompletedPart c1 = upload("errors", id, 1, randomBytes(100, 14));
    CompletedPart c2 = upload("errors", id, 2, randomBytes(100, 15));
    CompletedPart wrongTag = c2.toBuilder().eTag("\"ffffffffffffffffffffffffffffffff\"").build();
    // Order is checked before the parts exist; a missing or mismatched part before sizes.
    assertS3Error(() -> complete("errors", id, c2, c1), 400, "InvalidPartOrder");
    assertS3Error(() -> complete("errors", id, c1, c1), 400, "InvalidPartOrder");
    assertS3Error(() -> complete("errors", id, c1, wrongTag), 400, "InvalidPart");
    assertS3Error(() -> complete("errors", id, c1, CompletedPart.builder().partNumber(3).eTag(c1.eTag()).build()),
        400, "InvalidPart");
    assertS3Error(() -> complete("errors", id, c1, c2), 400, "EntityTooSmall");
    // Unquoted ETags are the same ETags.
    CompletedPart bare = CompletedPart.builder().partNumber(1).eTag(c1.eTag().replace("\"", "")).build();
    complete("errors", id, bare);
    assertThat(get("errors")).hasSize(100);
  }

  @Test
  void malformedCompletionBodiesAreMalformedXml() throws Exception {
    String id = create("xml");
    CompletedPart c1 = upload("xml", id, 1, randomBytes(10, 16));
    SignedHttp http = new SignedHttp(s3.endpoint(), ALICE);
    for (String body : List.of(
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>" + c1.eTag() + "</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part>",
        "")) {
      HttpResponse<String> response = http.send("POST", "/" + BUCKET + "/xml?uploadId=" + id, body.getBytes());
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).as(body).containsAnyOf("<Code>MalformedXML</Code>", "<Code>MissingRequestBodyError</Code>");
    }
    // The upload is still there and completes with a good body.
    complete("xml", id, c1);
  }

  @Test
  void partNumbersOutsideOneToTenThousandAreInvalidArgument() {
    String id = create("numbers");
    for (int number : new int[] {0, -1, 10_001}) {
      assertS3Error(() -> alice.uploadPart(b -> b.bucket(BUCKET).key("numbers").uploadId(id).partNumber(number),
          RequestBody.fromString("x")), 400, "InvalidArgument");
    }
    upload("numbers", id, 10_000, "last possible".getBytes());
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("numbers").uploadId(id)).parts())
        .extracting(Part::partNumber).containsExactly(10_000);
  }

  @Test
  void completingTwiceIsNoSuchUploadAndLeavesTheObject() {
    byte[] data = randomBytes(1234, 17);
    String id = create("twice");
    CompletedPart c1 = upload("twice", id, 1, data);
    complete("twice", id, c1);
    assertS3Error(() -> complete("twice", id, c1), 404, "NoSuchUpload");
    assertS3Error(() -> alice.abortMultipartUpload(b -> b.bucket(BUCKET).key("twice").uploadId(id)), 404, "NoSuchUpload");
    assertS3Error(() -> upload("twice", id, 2, data), 404, "NoSuchUpload");
    assertThat(get("twice")).isEqualTo(data);
  }

  @Test
  void abortThenCompleteIsNoSuchUploadAndNothingIsCreated() {
    String id = create("aborted");
    CompletedPart c1 = upload("aborted", id, 1, randomBytes(10, 18));
    alice.abortMultipartUpload(b -> b.bucket(BUCKET).key("aborted").uploadId(id));
    assertS3Error(() -> complete("aborted", id, c1), 404, "NoSuchUpload");
    assertS3Error(() -> alice.listParts(b -> b.bucket(BUCKET).key("aborted").uploadId(id)), 404, "NoSuchUpload");
    assertS3Error(() -> alice.headObject(b -> b.bucket(BUCKET).key("aborted")), 404, null);
    assertThat(alice.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
  }

  @Test
  void anUploadIdBelongsToItsKeyAndBucket() {
    String id = create("owner-key");
    upload("owner-key", id, 1, randomBytes(10, 19));
    assertS3Error(() -> alice.listParts(b -> b.bucket(BUCKET).key("other-key").uploadId(id)), 404, "NoSuchUpload");
    assertS3Error(() -> upload("other-key", id, 1, randomBytes(10, 20)), 404, "NoSuchUpload");
    alice.createBucket(b -> b.bucket("mp-other"));
    assertS3Error(() -> alice.listParts(b -> b.bucket("mp-other").key("owner-key").uploadId(id)), 404, "NoSuchUpload");
    assertS3Error(() -> alice.abortMultipartUpload(b -> b.bucket("mp-other").key("owner-key").uploadId(id)), 404, "NoSuchUpload");
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("owner-key").uploadId(id)).parts()).hasSize(1);
  }

  @Test
  void anotherAccountCannotTouchAnUpload() {
    String id = create("private");
    CompletedPart c1 = upload("private", id, 1, randomBytes(10, 21));
    try (S3Client bob = s3.client(BOB)) {
      assertS3Error(() -> bob.uploadPart(b -> b.bucket(BUCKET).key("private").uploadId(id).partNumber(2),
          RequestBody.fromString("bob")), 403, "AccessDenied");
      assertS3Error(() -> bob.listParts(b -> b.bucket(BUCKET).key("private").uploadId(id)), 403, "AccessDenied");
      assertS3Error(() -> bob.completeMultipartUpload(b -> b.bucket(BUCKET).key("private").uploadId(id)
          .multipartUpload(m -> m.parts(c1))), 403, "AccessDenied");
      assertS3Error(() -> bob.abortMultipartUpload(b -> b.bucket(BUCKET).key("private").uploadId(id)), 403, "AccessDenied");
      assertS3Error(() -> bob.listMultipartUploads(b -> b.bucket(BUCKET)), 403, "AccessDenied");
      assertS3Error(() -> bob.createMultipartUpload(b -> b.bucket(BUCKET).key("bobs")), 403, "AccessDenied");
    }
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("private").uploadId(id)).parts()).extracting(Part::partNumber)
        .containsExactly(1);
  }

  @Test
  void listPartsPagesByPartNumberMarker() {
    String id = create("paged-parts");
    for (int n = 1; n <= 7; n++) {
      upload("paged-parts", id, n, new byte[] {(byte) n});
    }
    ListPartsResponse first = alice.listParts(b -> b.bucket(BUCKET).key("paged-parts").uploadId(id).maxParts(3));
    assertThat(first.parts()).extracting(Part::partNumber).containsExactly(1, 2, 3);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.nextPartNumberMarker()).isEqualTo(3);
    ListPartsResponse second = alice.listParts(b -> b.bucket(BUCKET).key("paged-parts").uploadId(id).maxParts(3)
        .partNumberMarker(first.nextPartNumberMarker()));
    assertThat(second.parts()).extracting(Part::partNumber).containsExactly(4, 5, 6);
    assertThat(second.partNumberMarker()).isEqualTo(3);
    ListPartsResponse third = alice.listParts(b -> b.bucket(BUCKET).key("paged-parts").uploadId(id).maxParts(3)
        .partNumberMarker(second.nextPartNumberMarker()));
    assertThat(third.parts()).extracting(Part::partNumber).containsExactly(7);
    assertThat(third.isTruncated()).isFalse();

    for (int max : new int[] {1, 2, 1000}) {
      List<Integer> all = new ArrayList<>();
      alice.listPartsPaginator(b -> b.bucket(BUCKET).key("paged-parts").uploadId(id).maxParts(max))
          .parts().forEach(p -> all.add(p.partNumber()));
      assertThat(all).as("max-parts " + max).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("paged-parts").uploadId(id).partNumberMarker(7)).parts()).isEmpty();
  }

  @Test
  void listUploadsPagesByKeyAndUploadIdMarkers() {
    List<String> expected = new ArrayList<>();
    for (String key : List.of("u/a", "u/b", "u/b", "u/b", "u/c", "v/d")) {
      String id = create(key);
      expected.add(key + " " + id);
    }
    // Uploads sort by key, then by upload id within a key.
    expected.sort(null);
    for (int max : new int[] {1, 2, 1000}) {
      List<String> all = new ArrayList<>();
      alice.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).maxUploads(max))
          .uploads().forEach(u -> all.add(u.key() + " " + u.uploadId()));
      assertThat(all).as("max-uploads " + max).containsExactlyElementsOf(expected);
    }
    ListMultipartUploadsResponse firstTwo = alice.listMultipartUploads(b -> b.bucket(BUCKET).maxUploads(2));
    assertThat(firstTwo.isTruncated()).isTrue();
    assertThat(firstTwo.nextKeyMarker()).isEqualTo("u/b");
    // A key marker without an upload id marker resumes after every upload of that key.
    ListMultipartUploadsResponse afterB = alice.listMultipartUploads(b -> b.bucket(BUCKET).keyMarker("u/b"));
    assertThat(afterB.uploads()).extracting(MultipartUpload::key).containsExactly("u/c", "v/d");
    ListMultipartUploadsResponse underU = alice.listMultipartUploads(b -> b.bucket(BUCKET).prefix("u/"));
    assertThat(underU.uploads()).extracting(MultipartUpload::key).containsExactly("u/a", "u/b", "u/b", "u/b", "u/c");
    assertThat(alice.listMultipartUploads(b -> b.bucket(BUCKET).prefix("w/")).uploads()).isEmpty();
  }

  @Test
  void listUploadsRollsKeysUpIntoCommonPrefixesWithADelimiter() {
    for (String key : List.of("a/1", "a/2", "a/2", "b", "c/d/e", "c/f")) {
      create(key);
    }
    ListMultipartUploadsResponse root = alice.listMultipartUploads(b -> b.bucket(BUCKET).delimiter("/"));
    assertThat(root.delimiter()).isEqualTo("/");
    assertThat(root.uploads()).extracting(MultipartUpload::key).containsExactly("b");
    assertThat(root.commonPrefixes()).extracting(software.amazon.awssdk.services.s3.model.CommonPrefix::prefix)
        .containsExactly("a/", "c/");
    ListMultipartUploadsResponse underC = alice.listMultipartUploads(b -> b.bucket(BUCKET).prefix("c/").delimiter("/"));
    assertThat(underC.uploads()).extracting(MultipartUpload::key).containsExactly("c/f");
    assertThat(underC.commonPrefixes()).extracting(software.amazon.awssdk.services.s3.model.CommonPrefix::prefix)
        .containsExactly("c/d/");

    // One entry per page: a prefix counts like an upload, and the next page resumes after it.
    List<String> entries = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    for (int page = 0; page < 20; page++) {
      String km = keyMarker;
      String um = uploadIdMarker;
      ListMultipartUploadsResponse response = alice.listMultipartUploads(b -> b.bucket(BUCKET).delimiter("/").maxUploads(1)
          .keyMarker(km).uploadIdMarker(um));
      response.uploads().forEach(u -> entries.add(u.key()));
      response.commonPrefixes().forEach(p -> entries.add(p.prefix()));
      assertThat(response.uploads().size() + response.commonPrefixes().size()).isLessThanOrEqualTo(1);
      if (!response.isTruncated()) {
        break;
      }
      keyMarker = response.nextKeyMarker();
      uploadIdMarker = response.nextUploadIdMarker();
    }
    assertThat(entries).containsExactly("a/", "b", "c/");
  }

  @Test
  void zeroMaxPartsAndMaxUploadsAnswerEmptyCompletePages() {
    String id = create("zero");
    upload("zero", id, 1, new byte[] {1});
    // Like ListObjects with max-keys=0: nothing, and nothing more to fetch (no paginator loop).
    ListPartsResponse parts = alice.listParts(b -> b.bucket(BUCKET).key("zero").uploadId(id).maxParts(0));
    assertThat(parts.parts()).isEmpty();
    assertThat(parts.isTruncated()).isFalse();
    ListMultipartUploadsResponse uploads = alice.listMultipartUploads(b -> b.bucket(BUCKET).maxUploads(0));
    assertThat(uploads.uploads()).isEmpty();
    assertThat(uploads.isTruncated()).isFalse();
  }

  @Test
  void uploadsAndTheirPartsSurviveARestartOfTheStore() throws Exception {
    byte[] p1 = randomBytes(PART_MIN, 30);
    byte[] p2 = randomBytes(MIB + 1, 31);
    String id = alice.createMultipartUpload(b -> b.bucket(BUCKET).key("durable").contentType("application/x-tar"))
        .uploadId();
    CompletedPart c1 = upload("durable", id, 1, p1);
    CompletedPart c2 = upload("durable", id, 2, p2);
    String abandoned = create("abandoned");
    upload("abandoned", abandoned, 1, randomBytes(10, 32));
    InMemoryBucketRegistry registry = s3.registry;
    s3.close();

    s3 = new S3TestServer(dir, registry);
    alice = s3.alice;
    // Nothing acknowledged was half-written, so the sweep at open found nothing to delete.
    assertThat(s3.store.sweptBlobCount()).isZero();
    assertThat(alice.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
        .extracting(MultipartUpload::key, MultipartUpload::uploadId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("abandoned", abandoned),
            org.assertj.core.groups.Tuple.tuple("durable", id));
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("durable").uploadId(id)).parts())
        .extracting(Part::partNumber, Part::eTag, Part::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, c1.eTag(), (long) p1.length),
            org.assertj.core.groups.Tuple.tuple(2, c2.eTag(), (long) p2.length));
    complete("durable", id, c1, c2);
    assertThat(get("durable")).isEqualTo(concat(p1, p2));
    assertThat(alice.headObject(b -> b.bucket(BUCKET).key("durable")).contentType()).isEqualTo("application/x-tar");
    alice.abortMultipartUpload(b -> b.bucket(BUCKET).key("abandoned").uploadId(abandoned));
    alice.deleteObject(b -> b.bucket(BUCKET).key("durable"));
    alice.deleteBucket(b -> b.bucket(BUCKET));
  }
}
