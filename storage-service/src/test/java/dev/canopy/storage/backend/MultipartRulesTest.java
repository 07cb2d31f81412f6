package dev.canopy.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartRulesTest {

  private static final long MIN = MultipartRules.PART_SIZE_MIN;

  private static PartInfo part(int number, long size, int md5Byte) {
    byte[] md5 = new byte[16];
    md5[0] = (byte) md5Byte;
    return new PartInfo(number, size, md5, Instant.EPOCH);
  }

  private static final Map<Integer, PartInfo> UPLOADED =
      Map.of(1, part(1, MIN, 1), 2, part(2, MIN, 2), 3, part(3, 10, 3));

  private static CompletedPart ref(int number) {
    return new CompletedPart(number, "\"" + UPLOADED.get(number).etag() + "\"");
  }

  private static String code(Runnable r) {
    try {
      r.run();
      return "none";
    } catch (AwsException e) {
      return e.code();
    }
  }

  @Test
  void validListSelectsPartsInOrder() {
    List<PartInfo> chosen = MultipartRules.select(List.of(ref(1), ref(2), ref(3)), UPLOADED, MIN);
    assertThat(chosen).extracting(PartInfo::partNumber).containsExactly(1, 2, 3);
  }

  @Test
  void aSubsetIsAllowed() {
    assertThat(MultipartRules.select(List.of(ref(1), ref(3)), UPLOADED, MIN)).hasSize(2);
  }

  @Test
  void errors() {
    assertThat(code(() -> MultipartRules.select(List.of(ref(2), ref(1)), UPLOADED, MIN))).isEqualTo("InvalidPartOrder");
    assertThat(code(() -> MultipartRules.select(List.of(ref(1), ref(1)), UPLOADED, MIN))).isEqualTo("InvalidPartOrder");
    assertThat(code(() -> MultipartRules.select(List.of(ref(1), new CompletedPart(4, "x")), UPLOADED, MIN)))
        .isEqualTo("InvalidPart");
    assertThat(code(() -> MultipartRules.select(List.of(new CompletedPart(1, "\"00\"")), UPLOADED, MIN)))
        .isEqualTo("InvalidPart");
    assertThat(code(() -> MultipartRules.select(List.of(ref(3), ref(3)), UPLOADED, MIN)))
        .isEqualTo("InvalidPartOrder");
    Map<Integer, PartInfo> small = Map.of(1, part(1, 10, 1), 2, part(2, 10, 2));
    assertThat(code(() -> MultipartRules.select(
            List.of(new CompletedPart(1, small.get(1).etag()), new CompletedPart(2, small.get(2).etag())), small, MIN)))
        .isEqualTo("EntityTooSmall");
    assertThat(code(() -> MultipartRules.select(List.of(), UPLOADED, MIN))).isEqualTo("MalformedXML");
    assertThat(code(() -> MultipartRules.checkPartNumber(0))).isEqualTo("InvalidArgument");
    assertThat(code(() -> MultipartRules.checkPartNumber(10_001))).isEqualTo("InvalidArgument");
  }

  @Test
  void etagIsMd5OfPartDigestsWithCount() throws Exception {
    List<PartInfo> parts = List.of(part(1, 1, 1), part(2, 1, 2));
    var md5 = java.security.MessageDigest.getInstance("MD5");
    md5.update(parts.get(0).md5());
    md5.update(parts.get(1).md5());
    assertThat(MultipartRules.multipartEtag(parts)).isEqualTo(HexFormat.of().formatHex(md5.digest()) + "-2");
  }

  @Test
  void etagNormalization() {
    assertThat(MultipartRules.normalizeEtag("\"ABC\"")).isEqualTo("abc");
    assertThat(MultipartRules.normalizeEtag("W/\"abc\"")).isEqualTo("abc");
    assertThat(MultipartRules.normalizeEtag("abc")).isEqualTo("abc");
  }
}
