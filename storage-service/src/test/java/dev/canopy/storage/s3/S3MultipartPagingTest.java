package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * ListParts and ListMultipartUploads past one page, through the real AWS SDK for Java v2 and its
 * paginators, the aws CLI (which pages by itself) and boto3's paginators: an upload of 2,500 parts (parts under 5 MiB are accepted until Complete, so they
 * stay small) and a bucket of 1,124 uploads, three of them of one key.
 */
class S3MultipartPagingTest {

  static final String BUCKET = "paging";
  static final int PART_COUNT = 2_500;
  /** One with many parts, 998 under logs/2026/, 120 under photos/, 3 of "same", 2 whose keys URLs encode. */
  static final int UPLOAD_COUNT = 1_124;
  static String manyPartsUpload;
  static final List<String> SAME_KEY_UPLOADS = new ArrayList<>();
  private static final int CLIENT_THREADS = 8;

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void createUploads() throws Exception {
    manyPartsUpload = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("big/many-parts")).uploadId();
    List<Runnable> calls = new ArrayList<>();
    for (int n = 1; n <= PART_COUNT; n++) {
      int number = n;
      calls.add(() -> s3.alice().uploadPart(b -> b.bucket(BUCKET).key("big/many-parts").uploadId(manyPartsUpload)
          .partNumber(number), RequestBody.fromString("part " + number)));
    }
    for (int i = 0; i < 998; i++) {
      String key = String.format("logs/2026/%04d", i);
      calls.add(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key(key)));
    }
    for (int i = 0; i < 120; i++) {
      String key = "photos/" + (i % 4) + "/" + i;
      calls.add(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key(key)));
    }
    calls.add(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("odd/a b+c&d")));
    calls.add(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("odd/é%")));
    // Several at a time: each call is one synced write, and concurrent ones share an fsync.
    ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
    try {
      for (Future<?> call : pool.invokeAll(calls.stream().map(Executors::callable).toList())) {
        call.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 3; i++) {
      SAME_KEY_UPLOADS.add(s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("same")).uploadId());
    }
  }

  @Test
  void thePartsPaginatorWalksTwoThousandFiveHundredParts() {
    List<ListPartsResponse> pages = s3.alice().listPartsPaginator(b -> b.bucket(BUCKET).key("big/many-parts")
        .uploadId(manyPartsUpload)).stream().toList();
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).isTruncated()).isTrue();
    assertThat(pages.get(0).nextPartNumberMarker()).isEqualTo(1000);
    assertThat(pages.get(1).partNumberMarker()).isEqualTo(1000);
    assertThat(pages.get(2).isTruncated()).isFalse();
    assertThat(pages.stream().flatMap(p -> p.parts().stream()).map(Part::partNumber))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, PART_COUNT).boxed().toList());
    List<ListPartsResponse> small = s3.alice().listPartsPaginator(b -> b.bucket(BUCKET).key("big/many-parts")
        .uploadId(manyPartsUpload).maxParts(700)).stream().toList();
    assertThat(small).hasSize(4);
    assertThat(small.stream().mapToInt(p -> p.parts().size()).sum()).isEqualTo(PART_COUNT);
  }

  @Test
  void maxPartsAbove1000IsCappedAndANegativeOneRefused() {
    ListPartsResponse page = s3.alice().listParts(b -> b.bucket(BUCKET).key("big/many-parts")
        .uploadId(manyPartsUpload).maxParts(5000).partNumberMarker(1200));
    assertThat(page.maxParts()).isEqualTo(1000);
    assertThat(page.parts()).hasSize(1000);
    assertThat(page.parts().get(0).partNumber()).isEqualTo(1201);
    assertThat(page.nextPartNumberMarker()).isEqualTo(2200);
    assertS3Error(() -> s3.alice().listParts(b -> b.bucket(BUCKET).key("big/many-parts")
        .uploadId(manyPartsUpload).maxParts(-1)), 400, "InvalidArgument");
  }

  @Test
  void theUploadsPaginatorWalksEveryUploadOnceInKeyThenIdOrder() {
    List<ListMultipartUploadsResponse> pages = s3.alice().listMultipartUploadsPaginator(b -> b.bucket(BUCKET)
        .maxUploads(100)).stream().toList();
    List<MultipartUpload> uploads = pages.stream().flatMap(p -> p.uploads().stream()).toList();
    assertThat(uploads).hasSize(UPLOAD_COUNT);
    assertThat(uploads).isSortedAccordingTo(Comparator.comparing(MultipartUpload::key).thenComparing(MultipartUpload::uploadId));
    assertThat(uploads.stream().map(MultipartUpload::uploadId).distinct()).hasSize(UPLOAD_COUNT);
    assertThat(pages).hasSize((UPLOAD_COUNT + 99) / 100);
    // Pages split inside "same": its three uploads come back through upload-id-marker.
    List<String> same = uploads.stream().filter(u -> u.key().equals("same")).map(MultipartUpload::uploadId).toList();
    assertThat(same).containsExactlyElementsOf(SAME_KEY_UPLOADS.stream().sorted().toList());

    ListMultipartUploadsResponse first = s3.alice().listMultipartUploads(b -> b.bucket(BUCKET));
    assertThat(first.maxUploads()).isEqualTo(1000);
    assertThat(first.uploads()).hasSize(1000);
    assertThat(first.isTruncated()).isTrue();
    MultipartUpload last = first.uploads().get(999);
    assertThat(first.nextKeyMarker()).isEqualTo(last.key());
    assertThat(first.nextUploadIdMarker()).isEqualTo(last.uploadId());
    ListMultipartUploadsResponse capped = s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).maxUploads(5000));
    assertThat(capped.maxUploads()).isEqualTo(1000);
    assertThat(capped.uploads()).hasSize(1000);
    assertS3Error(() -> s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).maxUploads(-1)), 400, "InvalidArgument");
  }

  @Test
  void aMarkerInsideOneKeyResumesAfterThatUpload() {
    List<String> sorted = SAME_KEY_UPLOADS.stream().sorted().toList();
    ListMultipartUploadsResponse page = s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).prefix("same")
        .keyMarker("same").uploadIdMarker(sorted.get(0)));
    assertThat(page.uploads()).extracting(MultipartUpload::uploadId).containsExactlyElementsOf(sorted.subList(1, 3));
    assertThat(page.keyMarker()).isEqualTo("same");
    assertThat(page.uploadIdMarker()).isEqualTo(sorted.get(0));
    // Without an upload-id marker, the key marker's uploads are all behind.
    assertThat(s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).prefix("same").keyMarker("same")).uploads()).isEmpty();
  }

  @Test
  void aDelimiterRollsKeysUpIntoCommonPrefixesAcrossPages() {
    ListMultipartUploadsResponse top = s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).delimiter("/"));
    assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("big/", "logs/", "odd/", "photos/");
    assertThat(top.uploads()).extracting(MultipartUpload::key).containsExactly("same", "same", "same");
    assertThat(top.isTruncated()).isFalse();

    List<ListMultipartUploadsResponse> pages = s3.alice().listMultipartUploadsPaginator(b -> b.bucket(BUCKET)
        .prefix("photos/").delimiter("/").maxUploads(3)).stream().toList();
    assertThat(pages).hasSize(2);
    assertThat(pages.stream().flatMap(p -> p.commonPrefixes().stream()).map(CommonPrefix::prefix))
        .containsExactly("photos/0/", "photos/1/", "photos/2/", "photos/3/");
    assertThat(pages.get(0).nextKeyMarker()).isEqualTo("photos/2/");
  }

  @Test
  void theAwsCliAndBoto3PageThroughPartsAndUploads(@TempDir Path scratch) throws Exception {
    ExternalS3Clients tools = new ExternalS3Clients(s3.server().endpoint(), scratch);
    // The CLI follows NextPartNumberMarker and NextKeyMarker/NextUploadIdMarker by itself; with JSON
    // output, --query sees the pages merged (text output would apply it page by page).
    assertThat(tools.aws("s3api", "list-parts", "--bucket", BUCKET, "--key", "big/many-parts", "--upload-id",
        manyPartsUpload, "--query", "[length(Parts), Parts[0].PartNumber, Parts[-1].PartNumber]", "--output", "json")
        .replaceAll("\\s", "")).isEqualTo("[2500,1,2500]");
    assertThat(tools.aws("s3api", "list-multipart-uploads", "--bucket", BUCKET, "--page-size", "100",
        "--query", "length(Uploads)", "--output", "json").trim()).isEqualTo(Integer.toString(UPLOAD_COUNT));
    String counted = tools.boto3(String.join("\n",
        "parts = [p['PartNumber'] for page in s3.get_paginator('list_parts').paginate(",
        "    Bucket=args[0], Key='big/many-parts', UploadId=args[1], PaginationConfig={'PageSize': 700})",
        "    for p in page.get('Parts', [])]",
        "uploads = [u['UploadId'] for page in s3.get_paginator('list_multipart_uploads').paginate(",
        "    Bucket=args[0], PaginationConfig={'PageSize': 100}) for u in page.get('Uploads', [])]",
        "prefixes = [c['Prefix'] for page in s3.get_paginator('list_multipart_uploads').paginate(",
        "    Bucket=args[0], Prefix='photos/', Delimiter='/', PaginationConfig={'PageSize': 3})",
        "    for c in page.get('CommonPrefixes', [])]",
        "print(parts == list(range(1, 2501)), len(uploads), len(set(uploads)), ','.join(prefixes))"),
        BUCKET, manyPartsUpload);
    assertThat(counted.trim()).isEqualTo("True " + UPLOAD_COUNT + " " + UPLOAD_COUNT + " photos/0/,photos/1/,photos/2/,photos/3/");
  }

  @Test
  void urlEncodingEncodesKeysAndPrefixes() throws Exception {
    HttpResponse<String> encoded = s3.http().send("GET", "/" + BUCKET + "?uploads&prefix=odd%2F&encoding-type=url", new byte[0]);
    assertThat(encoded.statusCode()).isEqualTo(200);
    assertThat(encoded.body()).contains("<EncodingType>url</EncodingType>")
        .contains("<Prefix>odd%2F</Prefix>")
        .contains("<Key>odd%2Fa+b%2Bc%26d</Key>")
        .contains("<Key>odd%2F%C3%A9%25</Key>");
    HttpResponse<String> rolled = s3.http().send("GET", "/" + BUCKET + "?uploads&delimiter=%2F&encoding-type=url", new byte[0]);
    assertThat(rolled.body()).contains("<Delimiter>%2F</Delimiter>").contains("<Prefix>odd%2F</Prefix>");
    HttpResponse<String> wrong = s3.http().send("GET", "/" + BUCKET + "?uploads&encoding-type=base64", new byte[0]);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("<Code>InvalidArgument</Code>");
  }
}
