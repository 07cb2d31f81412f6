package dev.canopy.cloud.consoles3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.consoleapi.ApiError;
import org.junit.jupiter.api.Test;

class S3NamesTest {

  @Test
  void bucketNamesFollowS3sRule() {
    assertThat(S3Names.bucket("my-bucket.2026")).isEqualTo("my-bucket.2026");
    for (String bad : new String[] {"ab", "Upper", "under_score", "-dash", "dot.", "a/b", "x".repeat(64)}) {
      assertThatThrownBy(() -> S3Names.bucket(bad)).isInstanceOf(ApiError.class)
          .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("InvalidBucketName"));
    }
  }

  @Test
  void keysAreNonEmptyAndAtMost1024Bytes() {
    assertThat(S3Names.key("a/b c/é.txt")).isEqualTo("a/b c/é.txt");
    assertThatThrownBy(() -> S3Names.key("")).isInstanceOf(ApiError.class);
    assertThatThrownBy(() -> S3Names.key(null)).isInstanceOf(ApiError.class);
    assertThatThrownBy(() -> S3Names.key("é".repeat(513)))
        .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("KeyTooLongError"));
  }

  @Test
  void pagesHoldOneToAThousandKeys() {
    assertThat(S3Names.pageSize(null)).isEqualTo(1000);
    assertThat(S3Names.pageSize("25")).isEqualTo(25);
    for (String bad : new String[] {"0", "1001", "-1", "ten", "99999999999"}) {
      assertThatThrownBy(() -> S3Names.pageSize(bad)).isInstanceOf(ApiError.class)
          .satisfies(e -> assertThat(((ApiError) e).httpStatus()).isEqualTo(400));
    }
  }

  @Test
  void aDownloadIsNamedAfterTheKeysLastSegment() {
    assertThat(S3Names.fileName("photos/2026/cat.jpg")).isEqualTo("cat.jpg");
    assertThat(S3Names.fileName("cat.jpg")).isEqualTo("cat.jpg");
    assertThat(S3Names.fileName("folder/")).isEqualTo("folder");
    assertThat(S3Names.fileName("/")).isEqualTo("download");
  }
}
