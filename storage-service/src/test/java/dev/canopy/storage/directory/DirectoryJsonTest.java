package dev.canopy.storage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.storage.s3.BucketRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryJsonTest {

  private static final Credential KEY = new Credential("AKIAEXAMPLE000000001", "s3cr3t/with+chars", "123456789012");
  private static final BucketRecord BUCKET = new BucketRecord("photos", "123456789012", Instant.parse("2026-01-02T03:04:05.678Z"), "canopy-1");

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsRoundTrip() {
    assertThat(DirectoryJson.credential(DirectoryJson.credential(KEY))).isEqualTo(KEY);
    assertThat(DirectoryJson.bucket(DirectoryJson.bucket(BUCKET))).isEqualTo(BUCKET);
    assertThat(DirectoryJson.buckets(DirectoryJson.buckets(List.of(BUCKET)))).containsExactly(BUCKET);
    var changes = new DirectoryJson.Changes("ab12@1700000000000", 3, 0);
    assertThat(DirectoryJson.changes(DirectoryJson.changes(changes))).isEqualTo(changes);
    assertThat(DirectoryJson.errorCode(DirectoryJson.error("NoSuchBucket", "no"))).contains("NoSuchBucket");
  }

  @Test
  void anOutOfShapeBodyIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> DirectoryJson.credential(utf8("{\"accessKeyId\":\"AKIA1\",\"secretAccessKey\":\"hunter2\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountId").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DirectoryJson.credential(utf8("{\"accessKeyId\":\"AK/IA\",\"secretAccessKey\":\"hunter2\",\"accountId\":\"1\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DirectoryJson.bucket(utf8("[]"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DirectoryJson.bucket(utf8("{\"name\":\"Photos\",\"ownerAccountId\":\"1\",\"createdAt\":\"2026-01-02T03:04:05Z\",\"region\":\"r\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> DirectoryJson.bucket(utf8("{\"name\":\"photos\",\"ownerAccountId\":\"1\",\"createdAt\":5,\"region\":\"r\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createdAt");
    assertThatThrownBy(() -> DirectoryJson.changes(utf8("{\"source\":\"s\",\"credentials\":-1,\"buckets\":0}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DirectoryJson.changes(utf8("not json"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(DirectoryJson.errorCode(utf8("<html>"))).isEmpty();
  }

  @Test
  void aBucketsIdTravelsAndARecordWithoutOneIsLegacyWithItsNameAsId() {
    BucketRecord withId = new BucketRecord("photos", "123456789012", BUCKET.createdAt(), "canopy-1", "b_00112233445566778899aabbccddeeff");
    assertThat(DirectoryJson.bucket(DirectoryJson.bucket(withId)).id()).isEqualTo(withId.id());
    String legacy = "{\"name\":\"photos\",\"ownerAccountId\":\"123456789012\",\"createdAt\":\"2026-01-02T03:04:05Z\",\"region\":\"r\"}";
    assertThat(DirectoryJson.bucket(utf8(legacy)).id()).isEqualTo("photos");
    // Another bucket's name as id would alias its objects: refused.
    String aliasing = legacy.replace("}", ",\"id\":\"other\"}");
    assertThatThrownBy(() -> DirectoryJson.bucket(utf8(aliasing))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
  }
}
