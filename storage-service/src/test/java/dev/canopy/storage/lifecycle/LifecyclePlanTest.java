package dev.canopy.storage.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.UploadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which objects and uploads enabled rules expire, and when, at an instant the test chooses. */
class LifecyclePlanTest {

  private static final Instant WRITTEN = Instant.parse("2026-01-15T10:30:00Z");

  static LifecycleRule expireAfter(String id, int days, LifecycleFilter filter) {
    return new LifecycleRule(id, true, filter, days, null, null, null, null, null);
  }

  static LifecycleFilter prefix(String prefix) {
    return new LifecycleFilter(LifecycleFilter.Form.FILTER, prefix, Map.of(), null, null);
  }

  private static ObjectInfo object(String key, long size, Map<String, String> tags) {
    return new ObjectInfo(key, size, "etag", WRITTEN, ObjectMetadata.empty().withTags(tags), Map.of(), List.of());
  }

  private static LifecyclePlan plan(Instant now, LifecycleRule... rules) {
    return new LifecyclePlan(new LifecycleConfiguration(List.of(rules)), now);
  }

  @Test
  void aRuleOfDaysIsDueAtTheNextMidnightUtcAfterLastModifiedPlusTheDays() {
    // AWS's own example: written 2014-01-15 10:30 UTC, 3 days: expires from 2014-01-19 00:00 UTC.
    assertThat(LifecyclePlan.dueAfterDays(WRITTEN, 3)).isEqualTo(Instant.parse("2026-01-19T00:00:00Z"));
    LifecycleRule rule = expireAfter("r", 3, prefix(""));
    ObjectInfo object = object("k", 1, Map.of());
    assertThat(plan(Instant.parse("2026-01-18T23:59:59Z"), rule).expires(object)).isFalse();
    assertThat(plan(Instant.parse("2026-01-19T00:00:00Z"), rule).expires(object)).isTrue();
  }

  @Test
  void aDateRuleExpiresEverythingMatchingFromItsDate() {
    LifecycleRule rule = new LifecycleRule("d", true, prefix("tmp/"), null, "2026-02-01T00:00:00.000Z", null, null, null, null);
    assertThat(plan(Instant.parse("2026-01-31T23:59:59Z"), rule).expires(object("tmp/a", 1, Map.of()))).isFalse();
    assertThat(plan(Instant.parse("2026-02-01T00:00:00Z"), rule).expires(object("tmp/a", 1, Map.of()))).isTrue();
    assertThat(plan(Instant.parse("2026-02-01T00:00:00Z"), rule).expires(object("keep/a", 1, Map.of()))).isFalse();
  }

  @Test
  void filtersMatchPrefixTagsAndSizesAllTogether() {
    LifecycleFilter and = new LifecycleFilter(LifecycleFilter.Form.AND, "logs/", Map.of("team", "blue", "tier", "x"), 10L, 100L);
    LifecyclePlan plan = plan(WRITTEN.plus(Duration.ofDays(40)), expireAfter("and", 30, and));
    Map<String, String> tags = Map.of("team", "blue", "tier", "x", "extra", "y");
    assertThat(plan.expires(object("logs/a", 50, tags))).isTrue();
    assertThat(plan.expires(object("other/a", 50, tags))).isFalse();
    assertThat(plan.expires(object("logs/a", 50, Map.of("team", "blue")))).isFalse();
    assertThat(plan.expires(object("logs/a", 50, Map.of("team", "red", "tier", "x")))).isFalse();
    assertThat(plan.expires(object("logs/a", 10, tags))).isFalse();
    assertThat(plan.expires(object("logs/a", 100, tags))).isFalse();
    // A listing has no tags: it only narrows the candidates by key, size and age.
    assertThat(plan.mayExpire(new ObjectSummary("logs/a", 50, "etag", WRITTEN))).isTrue();
    assertThat(plan.mayExpire(new ObjectSummary("logs/a", 500, "etag", WRITTEN))).isFalse();
    assertThat(plan.mayExpire(new ObjectSummary("logs/a", 50, "etag", WRITTEN.plus(Duration.ofDays(20))))).isFalse();
  }

  @Test
  void onlyTheOutermostPrefixesOfEnabledExpirationRulesAreListed() {
    Instant now = WRITTEN;
    assertThat(plan(now, expireAfter("a", 1, prefix("logs/2026/")), expireAfter("b", 1, prefix("logs/")),
        expireAfter("c", 1, prefix("tmp/")), new LifecycleRule("off", false, prefix("x/"), 1, null, null, null, null, null))
        .expiringPrefixes()).containsExactly("logs/", "tmp/");
    assertThat(plan(now, expireAfter("a", 1, prefix("logs/")),
        expireAfter("all", 1, new LifecycleFilter(LifecycleFilter.Form.FILTER, null, Map.of("k", "v"), null, null)))
        .expiringPrefixes()).containsExactly("");
  }

  @Test
  void disabledRulesDoNothing() {
    LifecycleRule disabled = new LifecycleRule("off", false, prefix(""), 1, null, null, 1, null, null);
    LifecyclePlan plan = plan(WRITTEN.plus(Duration.ofDays(400)), disabled);
    assertThat(plan.actsAtAll()).isFalse();
    assertThat(plan.expires(object("k", 1, Map.of()))).isFalse();
  }

  @Test
  void uploadsAreAbortedAfterTheirDaysUnderThePrefixAndNeverBySizeRules() {
    LifecycleRule abort = new LifecycleRule("a", true, prefix("big/"), null, null, null, 7, null, null);
    LifecycleRule sized = new LifecycleRule("s", true,
        new LifecycleFilter(LifecycleFilter.Form.FILTER, null, Map.of(), 5L, null), null, null, null, 1, null, null);
    UploadInfo upload = new UploadInfo("b", "big/file", "u1", ObjectMetadata.empty(), WRITTEN);
    UploadInfo elsewhere = new UploadInfo("b", "small/file", "u2", ObjectMetadata.empty(), WRITTEN);
    assertThat(plan(Instant.parse("2026-01-22T23:59:59Z"), abort).aborts(upload)).isFalse();
    assertThat(plan(Instant.parse("2026-01-23T00:00:00Z"), abort).aborts(upload)).isTrue();
    assertThat(plan(Instant.parse("2026-01-23T00:00:00Z"), abort).aborts(elsewhere)).isFalse();
    assertThat(plan(WRITTEN.plus(Duration.ofDays(30)), sized).aborts(elsewhere)).isFalse();
  }

  @Test
  void theStoredDocumentRoundTrips() {
    LifecycleConfiguration configuration = new LifecycleConfiguration(List.of(
        expireAfter("r", 3, new LifecycleFilter(LifecycleFilter.Form.AND, "p/", Map.of("k", "v"), 1L, 9L)),
        new LifecycleRule("d", false, new LifecycleFilter(LifecycleFilter.Form.LEGACY_PREFIX, "", Map.of(), null, null),
            null, "2026-02-01T00:00:00.000Z", null, 4, 5, 6)));
    assertThat(LifecycleConfiguration.fromJson(configuration.toJson())).isEqualTo(configuration);
  }
}
