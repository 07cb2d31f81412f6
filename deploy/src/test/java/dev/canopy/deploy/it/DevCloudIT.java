package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole thin slice, as users drive it: the built jar in dev mode on ephemeral ports, the
 * AWS SDK for Java v2 (sync and async) and the aws CLI v2, a restart in the middle; the storage
 * node's Riak HTTP interface through curl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevCloudIT {

  private static final int MIB = 1024 * 1024;

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static StaticCredentialsProvider tenant;
  static Path big;
  static Path empty;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
    tenant = TenantClients.tenant(canopy);
    big = dir.resolve("big.bin");
    byte[] bytes = new byte[20 * MIB + 12345];
    new Random(42).nextBytes(bytes);
    Files.write(big, bytes);
    empty = Files.createFile(dir.resolve("empty.bin"));
    System.out.printf("canopy dev ready in %.2f s%n", canopy.readySeconds());
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy != null) {
      canopy.close();
    }
  }

  @Test
  @Order(1)
  void ec2DescribesItsRegionAndZone() {
    try (Ec2Client ec2 = TenantClients.ec2(canopy, tenant)) {
      List<Region> regions = ec2.describeRegions().regions();
      assertThat(regions).extracting(Region::regionName).containsExactly(canopy.region());
      List<AvailabilityZone> zones = ec2.describeAvailabilityZones().availabilityZones();
      assertThat(zones).extracting(AvailabilityZone::zoneName).containsExactly(canopy.region() + "a");
      assertThat(zones.get(0).stateAsString()).isEqualTo("available");
    }
  }

  @Test
  @Order(2)
  void sdkUploadsListsAndReadsBack() throws Exception {
    try (S3Client s3 = TenantClients.s3(canopy, tenant); S3AsyncClient async = TenantClients.s3Async(canopy, tenant)) {
      s3.createBucket(b -> b.bucket("sdk-bucket"));
      s3.putObject(p -> p.bucket("sdk-bucket").key("empty"), RequestBody.empty());
      multipartUpload(s3, "sdk-bucket", "big.bin", Files.readAllBytes(big));
      // The async client streams aws-chunked bodies with a trailing CRC32 checksum.
      async.putObject(p -> p.bucket("sdk-bucket").key("dir/async.txt"), AsyncRequestBody.fromString("hello from async")).get();

      List<S3Object> listed = s3.listObjectsV2(l -> l.bucket("sdk-bucket")).contents();
      assertThat(listed).extracting(S3Object::key).containsExactly("big.bin", "dir/async.txt", "empty");
      assertThat(listed).extracting(S3Object::size).containsExactly(Files.size(big), 16L, 0L);
      assertThat(s3.listObjectsV2(l -> l.bucket("sdk-bucket").delimiter("/")).commonPrefixes())
          .extracting(p -> p.prefix()).containsExactly("dir/");

      byte[] range = s3.getObjectAsBytes(g -> g.bucket("sdk-bucket").key("big.bin").range("bytes=1000000-1000099")).asByteArray();
      assertThat(range).isEqualTo(slice(Files.readAllBytes(big), 1_000_000, 100));
      assertThat(sha256(s3.getObject(g -> g.bucket("sdk-bucket").key("big.bin")))).isEqualTo(sha256(big));
      assertThat(s3.getObjectAsBytes(g -> g.bucket("sdk-bucket").key("empty")).asByteArray()).isEmpty();
      assertThat(async.getObject(g -> g.bucket("sdk-bucket").key("dir/async.txt"), software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes())
          .get().asUtf8String()).isEqualTo("hello from async");
    }
  }

  @Test
  @Order(3)
  void awsCliCopiesLargeFilesBothWays() throws Exception {
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://cli-bucket").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", big.toString(), "s3://cli-bucket/big.bin").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", empty.toString(), "s3://cli-bucket/empty.bin").assertOk();

    String listing = AwsCli.run(canopy, "s3", "s3", "ls", "s3://cli-bucket").assertOk().stdout();
    assertThat(listing).contains(Files.size(big) + " big.bin").contains("0 empty.bin");
    assertThat(AwsCli.run(canopy, "s3", "s3", "ls").assertOk().stdout()).contains("cli-bucket").contains("sdk-bucket");

    Path downloaded = dir.resolve("downloaded.bin");
    AwsCli.run(canopy, "s3", "s3", "cp", "s3://cli-bucket/big.bin", downloaded.toString()).assertOk();
    assertThat(sha256(downloaded)).isEqualTo(sha256(big));
    String regions = AwsCli.run(canopy, "ec2", "ec2", "describe-regions", "--output", "text").assertOk().stdout();
    assertThat(regions).contains(canopy.region());
  }

  @Test
  @Order(3)
  void aKeyPairIsCreatedThroughTheReplicatedStore() {
    try (Ec2Client ec2 = TenantClients.ec2(canopy, tenant)) {
      ec2.createKeyPair(k -> k.keyName("before-restart"));
      assertThat(ec2.describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).contains("before-restart");
    }
  }

  @Test
  @Order(6)
  void theRiakHttpInterfaceAnswersCurl() throws Exception {
    String riak = canopy.endpoint("riak");
    assertThat(riak).startsWith("http://127.0.0.1:");
    assertThat(Curl.run(riak + "/ping").body()).isEqualTo("OK");

    // A put and a get with its vclock; a write with that vclock replaces the value, no sibling.
    assertThat(Curl.run("-X", "PUT", "-H", "Content-Type: text/plain", "-d", "one", riak + "/buckets/it/keys/k").status())
        .isEqualTo(204);
    Curl.Answer first = Curl.run(riak + "/buckets/it/keys/k");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("one");
    assertThat(first.header("X-Riak-Vclock")).isNotBlank();
    assertThat(Curl.run("-X", "PUT", "-H", "Content-Type: text/plain", "-H", "X-Riak-Vclock: " + first.header("X-Riak-Vclock"),
        "-d", "two", riak + "/buckets/it/keys/k").status()).isEqualTo(204);
    assertThat(Curl.run(riak + "/buckets/it/keys/k").body()).isEqualTo("two");

    // allow_mult through the props resource: two writes without a vclock become siblings.
    assertThat(Curl.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", "{\"props\":{\"allow_mult\":true}}",
        riak + "/buckets/siblings/props").status()).isEqualTo(204);
    assertThat(Curl.run(riak + "/buckets/siblings/props").body()).contains("\"allow_mult\":true").contains("\"n_val\":1");
    for (String value : List.of("left", "right")) {
      Curl.run("-X", "PUT", "-H", "Content-Type: text/plain", "-d", value, riak + "/buckets/siblings/keys/s");
    }
    Curl.Answer siblings = Curl.run(riak + "/buckets/siblings/keys/s");
    assertThat(siblings.status()).isEqualTo(300);
    assertThat(siblings.body()).startsWith("Siblings:");

    Curl.Answer missing = Curl.run(riak + "/buckets/it/keys/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("not found\n");
    // One storage node: N=1, so r=2 cannot be met and is refused as a bad request.
    assertThat(Curl.run(riak + "/buckets/it/keys/k?r=2").status()).isEqualTo(400);
    assertThat(Curl.run(riak + "/buckets/it/keys/k?r=sometimes").status()).isEqualTo(400);
  }

  @Test
  @Order(4)
  void everythingSurvivesARestart() throws Exception {
    canopy.restart();
    try (Ec2Client ec2 = TenantClients.ec2(canopy, tenant)) {
      // The control plane's records went through the replicated store.
      assertThat(ec2.describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).contains("before-restart");
    }
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("cli-bucket", "sdk-bucket");
      assertThat(s3.listObjectsV2(l -> l.bucket("cli-bucket")).contents()).extracting(S3Object::key)
          .containsExactly("big.bin", "empty.bin");
      assertThat(sha256(s3.getObject(g -> g.bucket("sdk-bucket").key("big.bin")))).isEqualTo(sha256(big));
    }
    Path downloaded = dir.resolve("after-restart.bin");
    AwsCli.run(canopy, "s3", "s3", "cp", "s3://cli-bucket/big.bin", downloaded.toString()).assertOk();
    assertThat(sha256(downloaded)).isEqualTo(sha256(big));
  }

  @Test
  @Order(5)
  void objectsAndBucketsAreDeleted() throws Exception {
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      for (String key : List.of("big.bin", "dir/async.txt", "empty")) {
        s3.deleteObject(d -> d.bucket("sdk-bucket").key(key));
      }
      s3.deleteBucket(d -> d.bucket("sdk-bucket"));
      AwsCli.run(canopy, "s3", "s3", "rm", "--recursive", "s3://cli-bucket").assertOk();
      AwsCli.run(canopy, "s3", "s3", "rb", "s3://cli-bucket").assertOk();
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("cli-bucket", "sdk-bucket");
    }
  }

  static void multipartUpload(S3Client s3, String bucket, String key, byte[] data) {
    String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 8 * MIB;
    for (int offset = 0, number = 1; offset < data.length; offset += partSize, number++) {
      int n = number;
      byte[] part = slice(data, offset, Math.min(partSize, data.length - offset));
      String etag = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(n), RequestBody.fromBytes(part)).eTag();
      parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
  }

  static byte[] slice(byte[] data, int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(data, offset, out, 0, length);
    return out;
  }

  static String sha256(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    in.close();
    return HexFormat.of().formatHex(digest.digest());
  }
}
