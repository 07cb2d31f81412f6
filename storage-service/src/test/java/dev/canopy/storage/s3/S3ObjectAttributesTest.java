package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** GetObjectAttributes through the real AWS SDK for Java v2 and the aws CLI v2. */
class S3ObjectAttributesTest {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "attributes";
  private static final long[] PART_SIZES = {5 * MIB, 5 * MIB + 1, 5 * MIB, 42};
  private static PutObjectResponse single;
  private static String multipartEtag;

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void upload() {
    single = s3.alice().putObject(b -> b.bucket(BUCKET).key("single").checksumAlgorithm(ChecksumAlgorithm.CRC32),
        RequestBody.fromBytes(randomBytes(1234, 1)));
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    CompletedPart[] parts = new CompletedPart[PART_SIZES.length];
    for (int i = 0; i < parts.length; i++) {
      int number = i + 1;
      String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId).partNumber(number),
          RequestBody.fromBytes(randomBytes((int) PART_SIZES[number - 1], number))).eTag();
      parts[i] = CompletedPart.builder().partNumber(number).eTag(etag).build();
    }
    multipartEtag = s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId)
        .multipartUpload(m -> m.parts(parts))).eTag();
  }

  @Test
  void aSinglePartObjectReportsWhatWasAskedForAndNoParts() {
    GetObjectAttributesResponse all = s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("single")
        .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS,
            ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
    // The one ETag S3 sends unquoted.
    assertThat(all.eTag()).isEqualTo(single.eTag().replace("\"", ""));
    assertThat(all.checksum().checksumCRC32()).isEqualTo(single.checksumCRC32());
    assertThat(all.objectParts()).isNull();
    assertThat(all.storageClass()).isEqualTo(StorageClass.STANDARD);
    assertThat(all.objectSize()).isEqualTo(1234L);
    assertThat(all.lastModified()).isEqualTo(s3.alice().headObject(b -> b.bucket(BUCKET).key("single")).lastModified());

    GetObjectAttributesResponse sizeOnly = s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("single")
        .objectAttributes(ObjectAttributes.OBJECT_SIZE));
    assertThat(sizeOnly.objectSize()).isEqualTo(1234L);
    assertThat(sizeOnly.eTag()).isNull();
    assertThat(sizeOnly.checksum()).isNull();
    assertThat(sizeOnly.storageClass()).isNull();
  }

  @Test
  void aMultipartObjectReportsItsPartsInPages() {
    GetObjectAttributesResponse all = s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("mp")
        .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE));
    assertThat(all.eTag()).isEqualTo(multipartEtag.replace("\"", ""));
    assertThat(all.objectSize()).isEqualTo(15 * MIB + 43L);
    assertThat(all.objectParts().totalPartsCount()).isEqualTo(4);
    assertThat(all.objectParts().isTruncated()).isFalse();
    assertThat(all.objectParts().parts()).extracting(ObjectPart::partNumber, ObjectPart::size).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, PART_SIZES[0]), org.assertj.core.groups.Tuple.tuple(2, PART_SIZES[1]),
        org.assertj.core.groups.Tuple.tuple(3, PART_SIZES[2]), org.assertj.core.groups.Tuple.tuple(4, PART_SIZES[3]));

    GetObjectAttributesResponse first = s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("mp")
        .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(3));
    assertThat(first.objectParts().isTruncated()).isTrue();
    assertThat(first.objectParts().maxParts()).isEqualTo(3);
    assertThat(first.objectParts().nextPartNumberMarker()).isEqualTo(3);
    assertThat(first.objectParts().parts()).extracting(ObjectPart::partNumber).containsExactly(1, 2, 3);
    GetObjectAttributesResponse rest = s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("mp")
        .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(3).partNumberMarker(3));
    assertThat(rest.objectParts().isTruncated()).isFalse();
    assertThat(rest.objectParts().partNumberMarker()).isEqualTo(3);
    assertThat(rest.objectParts().totalPartsCount()).isEqualTo(4);
    assertThat(rest.objectParts().parts()).extracting(ObjectPart::partNumber, ObjectPart::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4, 42L));
  }

  @Test
  void theAwsCliReadsTheAttributesOfAMultipartObject(@TempDir Path scratch) throws Exception {
    ExternalS3Clients tools = new ExternalS3Clients(s3.server().endpoint(), scratch);
    String answer = tools.aws("s3api", "get-object-attributes", "--bucket", BUCKET, "--key", "mp",
        "--object-attributes", "ETag", "ObjectParts", "ObjectSize", "StorageClass", "--max-parts", "2",
        "--query", "[ETag, ObjectSize, StorageClass, ObjectParts.TotalPartsCount, ObjectParts.IsTruncated,"
            + " ObjectParts.NextPartNumberMarker, length(ObjectParts.Parts), ObjectParts.Parts[1].Size]",
        "--output", "text");
    assertThat(answer.trim()).isEqualTo(String.join("\t", multipartEtag.replace("\"", ""), Long.toString(15 * MIB + 43L),
        "STANDARD", "4", "True", "2", "2", Long.toString(PART_SIZES[1])));
  }

  @Test
  void aMissingOrUnknownAttributeListIsRefusedAndAMissingKeyIsNoSuchKey() throws Exception {
    HttpResponse<String> missing = s3.http().send("GET", "/" + BUCKET + "/single?attributes", new byte[0]);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("<Code>InvalidRequest</Code>");
    HttpResponse<String> empty = s3.http().send("GET", "/" + BUCKET + "/single?attributes", new byte[0],
        "x-amz-object-attributes", " , ");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("<Code>InvalidRequest</Code>");
    HttpResponse<String> unknown = s3.http().send("GET", "/" + BUCKET + "/single?attributes", new byte[0],
        "x-amz-object-attributes", "ETag,Owner");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("<Code>InvalidArgument</Code>");
    assertS3Error(() -> s3.alice().getObjectAttributes(b -> b.bucket(BUCKET).key("nope")
        .objectAttributes(ObjectAttributes.E_TAG)), 404, "NoSuchKey");
  }
}
