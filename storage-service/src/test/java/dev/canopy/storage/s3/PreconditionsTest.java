package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.Preconditions.Outcome.NOT_MODIFIED;
import static dev.canopy.storage.s3.Preconditions.Outcome.PRECONDITION_FAILED;
import static dev.canopy.storage.s3.Preconditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

  private static final Instant MODIFIED = Instant.parse("2026-03-04T05:06:07.890Z");
  private static final String BEFORE = "Wed, 04 Mar 2026 05:06:06 GMT";
  private static final String SAME = "Wed, 04 Mar 2026 05:06:07 GMT";

  private static Preconditions.Outcome eval(String ifMatch, String ifNoneMatch, String ims, String ius) {
    return Preconditions.evaluate(ifMatch, ifNoneMatch, ims, ius, "abc", MODIFIED);
  }

  @Test
  void rules() {
    assertThat(eval(null, null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("\"abc\"", null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("\"x\", \"abc\"", null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("*", null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("\"x\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
    assertThat(eval(null, "\"abc\"", null, null)).isEqualTo(NOT_MODIFIED);
    assertThat(eval(null, "\"x\"", null, null)).isEqualTo(PROCEED);
    assertThat(eval(null, null, SAME, null)).isEqualTo(NOT_MODIFIED); // second granularity
    assertThat(eval(null, null, BEFORE, null)).isEqualTo(PROCEED);
    assertThat(eval(null, null, null, BEFORE)).isEqualTo(PRECONDITION_FAILED);
    assertThat(eval(null, null, null, SAME)).isEqualTo(PROCEED);
    // If-Match passing overrides a failing If-Unmodified-Since, as S3 documents.
    assertThat(eval("\"abc\"", null, null, BEFORE)).isEqualTo(PROCEED);
    assertThat(eval(null, null, "not a date", null)).isEqualTo(PROCEED);
  }

  @Test
  void httpDatesHaveTwoDigitDays() {
    assertThat(HttpDates.http(Instant.parse("2026-03-04T05:06:07Z"))).isEqualTo("Wed, 04 Mar 2026 05:06:07 GMT");
  }
}
