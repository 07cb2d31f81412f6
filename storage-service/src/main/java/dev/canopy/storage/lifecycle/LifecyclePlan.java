package dev.canopy.storage.lifecycle;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.UploadInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A bucket's enabled lifecycle rules judged at one instant: which current objects have expired and
 * which multipart uploads are to be aborted. Pure: the caller passes the instant.
 *
 * <p>Due times follow AWS: a rule of N days is due at the first midnight UTC after Last-Modified
 * (or the upload's initiation) plus N days, e.g. an object written 2026-01-15 10:30 UTC under a
 * 3-day rule expires from 2026-01-19 00:00 UTC; a date rule is due from its date (a midnight UTC).
 */
public final class LifecyclePlan {

  private final List<LifecycleRule> rules;
  private final Instant now;

  public LifecyclePlan(LifecycleConfiguration configuration, Instant now) {
    this.rules = configuration.rules().stream().filter(LifecycleRule::enabled).toList();
    this.now = now;
  }

  /** The first midnight UTC after {@code start} plus {@code days}. */
  public static Instant dueAfterDays(Instant start, int days) {
    return start.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
  }

  /** Whether any enabled rule can do anything in this bucket. */
  public boolean actsAtAll() {
    return expiresAny() || abortsAny() || actsOnVersions();
  }

  /**
   * Whether a rule removes noncurrent versions or expired delete markers: what only a bucket with
   * versions has ({@link NoncurrentExpiry}).
   */
  public boolean actsOnVersions() {
    return rules.stream().anyMatch(LifecyclePlan::actsOnVersions);
  }

  private static boolean actsOnVersions(LifecycleRule rule) {
    return rule.expiresNoncurrent() || Boolean.TRUE.equals(rule.expiredObjectDeleteMarker());
  }

  /** As {@link #expiringPrefixes()}, for the rules that act on versions. */
  public List<String> versionPrefixes() {
    return outermost(rules.stream().filter(LifecyclePlan::actsOnVersions));
  }

  /**
   * Whether a noncurrent version may be removed: some rule's NoncurrentDays have passed since it
   * became noncurrent (its successor's Last-Modified, rounded to the next midnight UTC as for
   * current versions) and at least NewerNoncurrentVersions newer noncurrent versions are kept.
   * With {@code tags} null the rules' tag conditions are taken as holding: judge again with the
   * version's tags before removing it.
   *
   * @param newerNoncurrent noncurrent versions of the key newer than this one
   */
  public boolean expiresNoncurrent(
      String key, long size, Map<String, String> tags, Instant becameNoncurrent, int newerNoncurrent) {
    return rules.stream().anyMatch(rule -> rule.expiresNoncurrent()
        && (tags == null ? rule.filter().matchesKeyAndSize(key, size) : rule.filter().matches(key, size, tags))
        && (rule.noncurrentDays() == null || !now.isBefore(dueAfterDays(becameNoncurrent, rule.noncurrentDays())))
        && (rule.newerNoncurrentVersions() == null || newerNoncurrent >= rule.newerNoncurrentVersions()));
  }

  /** Whether some rule removes this key's delete marker once it is the key's only version. */
  public boolean removesExpiredMarker(String key) {
    return rules.stream().anyMatch(rule -> Boolean.TRUE.equals(rule.expiredObjectDeleteMarker())
        && !rule.filter().namesTags() && rule.filter().matchesKeyAndSize(key, 0));
  }

  /** Whether any rule names tags among those acting on versions (then a version's tags must be read). */
  public boolean versionRulesNameTags() {
    return rules.stream().anyMatch(rule -> actsOnVersions(rule) && rule.filter().namesTags());
  }

  public boolean expiresAny() {
    return rules.stream().anyMatch(LifecycleRule::expiresObjects);
  }

  public boolean abortsAny() {
    return rules.stream().anyMatch(rule -> rule.abortAfterDays() != null);
  }

  /**
   * The key prefixes whose objects enabled expiration rules may expire, none inside another
   * (listing "logs/" covers "logs/2026/"), sorted; a single "" when some rule covers every key. Only
   * these need listing, so a rule on a small prefix of a large bucket reads only that prefix.
   */
  public List<String> expiringPrefixes() {
    return outermost(rules.stream().filter(LifecycleRule::expiresObjects));
  }

  private static List<String> outermost(java.util.stream.Stream<LifecycleRule> acting) {
    List<String> prefixes = acting
        .map(rule -> rule.filter().prefix() == null ? "" : rule.filter().prefix())
        .distinct().sorted().toList();
    List<String> outermost = new java.util.ArrayList<>();
    for (String prefix : prefixes) {
      // Sorted: a prefix that covers this one came before it.
      if (outermost.stream().noneMatch(prefix::startsWith)) {
        outermost.add(prefix);
      }
    }
    return outermost;
  }

  /**
   * Whether a listed object may have expired: every condition but tags holds for some rule that is
   * due. Only these are judged again, with their tags, by {@link #expires(ObjectInfo)}.
   */
  public boolean mayExpire(ObjectSummary listed) {
    return rules.stream().anyMatch(rule -> rule.expiresObjects()
        && rule.filter().matchesKeyAndSize(listed.key(), listed.size()) && due(rule, listed.lastModified()));
  }

  /** Whether the object's current version has expired under some enabled rule. */
  public boolean expires(ObjectInfo object) {
    return rules.stream().anyMatch(rule -> rule.expiresObjects()
        && rule.filter().matches(object.key(), object.size(), object.metadata().tags())
        && due(rule, object.lastModified()));
  }

  private boolean due(LifecycleRule rule, Instant lastModified) {
    if (rule.expirationDays() != null) {
      return !now.isBefore(dueAfterDays(lastModified, rule.expirationDays()));
    }
    return !now.isBefore(rule.expirationInstant());
  }

  /**
   * Whether an incomplete upload is to be aborted: a rule's DaysAfterInitiation have passed and its
   * prefix matches. Such rules name no tags (refused at PUT); a rule with a size condition aborts
   * nothing, since an upload has no size yet: never more than the rule says.
   */
  public boolean aborts(UploadInfo upload) {
    return rules.stream().anyMatch(rule -> rule.abortAfterDays() != null
        && rule.filter().sizeGreaterThan() == null && rule.filter().sizeLessThan() == null
        && (rule.filter().prefix() == null || upload.key().startsWith(rule.filter().prefix()))
        && !now.isBefore(dueAfterDays(upload.initiated(), rule.abortAfterDays())));
  }
}
