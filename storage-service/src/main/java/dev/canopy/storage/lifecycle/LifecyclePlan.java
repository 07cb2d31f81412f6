package dev.canopy.storage.lifecycle;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.UploadInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

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
    return expiresAny() || abortsAny();
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
    List<String> prefixes = rules.stream().filter(LifecycleRule::expiresObjects)
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
