package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.lifecycle.LifecycleConfiguration;
import dev.canopy.storage.lifecycle.LifecycleFilter;
import dev.canopy.storage.lifecycle.LifecycleRule;
import dev.canopy.storage.s3.xml.SafeXml;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.w3c.dom.Element;

/**
 * The body of PutBucketLifecycleConfiguration ({@code <LifecycleConfiguration>} as botocore sends
 * it), checked against AWS's rules with AWS's answers: no rule, a missing or unknown Status, a rule
 * with both or neither of Prefix and Filter, a Filter of more than one condition: MalformedXML;
 * Days, DaysAfterInitiation or NoncurrentDays not positive, both Days and Date, a Date that is not
 * midnight UTC, a duplicate or too long ID: InvalidArgument; a rule without an action, an
 * AbortIncompleteMultipartUpload with a tag filter, more than {@value #RULES_MAX} rules:
 * InvalidRequest; transitions: NotImplemented (Canopy has one storage class).
 */
final class LifecycleRequestXml {

  static final int RULES_MAX = 1000;
  static final int ID_LENGTH_MAX = 255;
  /** 1,000 rules of up to a few hundred bytes each, with room to spare. */
  static final int BODY_BYTES_MAX = 2 * 1024 * 1024;

  private static final Set<String> AND_CONDITIONS = Set.of("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan");
  private static final Set<String> FILTER_CONDITIONS =
      Set.of("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And");

  private LifecycleRequestXml() {}

  /** @param newId an ID for a rule that has none, as AWS assigns one */
  static LifecycleConfiguration parse(byte[] body, Supplier<String> newId) {
    Element root = S3Xml.requestRoot(body, "LifecycleConfiguration");
    List<Element> elements = SafeXml.children(root, "Rule");
    if (elements.isEmpty()) {
      throw StorageErrors.malformedXml();
    }
    if (elements.size() > RULES_MAX) {
      throw S3Errors.invalidRequest("Lifecycle configuration allows a maximum of " + RULES_MAX + " rules");
    }
    List<LifecycleRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Element element : elements) {
      LifecycleRule rule = rule(element, newId);
      if (!ids.add(rule.id())) {
        throw S3Errors.invalidArgument("Rule ID must be unique. Found same ID for more than one rule");
      }
      rules.add(rule);
    }
    return new LifecycleConfiguration(rules);
  }

  private static LifecycleRule rule(Element rule, Supplier<String> newId) {
    String id = SafeXml.childText(rule, "ID").filter(text -> !text.isEmpty()).orElseGet(newId);
    if (id.codePointCount(0, id.length()) > ID_LENGTH_MAX) {
      throw S3Errors.invalidArgument("ID length should not exceed allowed limit of " + ID_LENGTH_MAX);
    }
    String status = SafeXml.childText(rule, "Status").orElseThrow(StorageErrors::malformedXml);
    if (!status.equals("Enabled") && !status.equals("Disabled")) {
      throw StorageErrors.malformedXml();
    }
    if (!SafeXml.children(rule, "Transition").isEmpty() || !SafeXml.children(rule, "NoncurrentVersionTransition").isEmpty()) {
      throw StorageErrors.notImplemented("lifecycle transitions (Canopy has one storage class, STANDARD)");
    }
    LifecycleFilter filter = filter(rule);
    Integer days = null;
    String date = null;
    Boolean deleteMarker = null;
    Optional<Element> expiration = only(rule, "Expiration");
    if (expiration.isPresent()) {
      Optional<String> daysText = SafeXml.childText(expiration.get(), "Days");
      Optional<String> dateText = SafeXml.childText(expiration.get(), "Date");
      Optional<String> markerText = SafeXml.childText(expiration.get(), "ExpiredObjectDeleteMarker");
      if (daysText.isEmpty() && dateText.isEmpty() && markerText.isEmpty()) {
        throw StorageErrors.malformedXml();
      }
      if (daysText.isPresent() && dateText.isPresent()) {
        throw S3Errors.invalidArgument("Only one of Days or Date may be specified in an Expiration action");
      }
      if (markerText.isPresent() && (daysText.isPresent() || dateText.isPresent())) {
        throw S3Errors.invalidArgument(
            "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy");
      }
      days = daysText.map(text -> positive(text, "'Days' for Expiration action must be a positive integer")).orElse(null);
      date = dateText.map(LifecycleRequestXml::midnight).orElse(null);
      deleteMarker = markerText.map(LifecycleRequestXml::bool).orElse(null);
    }
    Integer abortDays = only(rule, "AbortIncompleteMultipartUpload")
        .map(abort -> positive(SafeXml.childText(abort, "DaysAfterInitiation").orElseThrow(StorageErrors::malformedXml),
            "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"))
        .orElse(null);
    if (abortDays != null && filter.namesTags()) {
      throw S3Errors.invalidRequest("Tag-based filter cannot be used with AbortIncompleteMultipartUpload action");
    }
    Optional<Element> noncurrent = only(rule, "NoncurrentVersionExpiration");
    Integer noncurrentDays = noncurrent.flatMap(n -> SafeXml.childText(n, "NoncurrentDays"))
        .map(text -> positive(text, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"))
        .orElse(null);
    Integer newerVersions = noncurrent.flatMap(n -> SafeXml.childText(n, "NewerNoncurrentVersions"))
        .map(text -> positive(text, "'NewerNoncurrentVersions' must be a positive integer"))
        .orElse(null);
    if (noncurrent.isPresent() && noncurrentDays == null && newerVersions == null) {
      throw StorageErrors.malformedXml();
    }
    if (expiration.isEmpty() && abortDays == null && noncurrent.isEmpty()) {
      throw S3Errors.invalidRequest("At least one action needs to be specified in a rule");
    }
    return new LifecycleRule(id, status.equals("Enabled"), filter, days, date, deleteMarker, abortDays, noncurrentDays,
        newerVersions);
  }

  /** The rule's legacy Prefix or its Filter: exactly one of the two. */
  private static LifecycleFilter filter(Element rule) {
    Optional<String> legacy = SafeXml.childText(rule, "Prefix");
    Optional<Element> filter = only(rule, "Filter");
    if (legacy.isPresent() == filter.isPresent()) {
      throw StorageErrors.malformedXml();
    }
    if (legacy.isPresent()) {
      return new LifecycleFilter(LifecycleFilter.Form.LEGACY_PREFIX, legacy.get(), Map.of(), null, null);
    }
    List<Element> conditions = elements(filter.get());
    // One condition, of a known name: a misspelt one must not leave a filter matching everything.
    if (conditions.size() > 1 || !conditions.stream().allMatch(c -> FILTER_CONDITIONS.contains(SafeXml.localName(c)))) {
      throw StorageErrors.malformedXml();
    }
    Optional<Element> and = only(filter.get(), "And");
    if (and.isPresent()) {
      return conditions(LifecycleFilter.Form.AND, and.get(), TagSets.OBJECT_TAGS_MAX);
    }
    return conditions(LifecycleFilter.Form.FILTER, filter.get(), 1);
  }

  private static LifecycleFilter conditions(LifecycleFilter.Form form, Element parent, int tagsMax) {
    if (!elements(parent).stream().allMatch(c -> AND_CONDITIONS.contains(SafeXml.localName(c)))) {
      throw StorageErrors.malformedXml();
    }
    Map<String, String> tags = TagSets.checked(TagSets.tagElements(parent), tagsMax);
    Long greater = SafeXml.childText(parent, "ObjectSizeGreaterThan").map(LifecycleRequestXml::size).orElse(null);
    Long less = SafeXml.childText(parent, "ObjectSizeLessThan").map(LifecycleRequestXml::size).orElse(null);
    if (greater != null && less != null && greater >= less) {
      throw S3Errors.invalidArgument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
    }
    return new LifecycleFilter(form, SafeXml.childText(parent, "Prefix").orElse(null), tags, greater, less);
  }

  /** Every child element. */
  private static List<Element> elements(Element parent) {
    List<Element> found = new ArrayList<>();
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        found.add(e);
      }
    }
    return found;
  }

  /** The child element of that name, at most one. */
  private static Optional<Element> only(Element parent, String name) {
    List<Element> found = SafeXml.children(parent, name);
    if (found.size() > 1) {
      throw StorageErrors.malformedXml();
    }
    return found.stream().findFirst();
  }

  private static int positive(String text, String message) {
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw StorageErrors.malformedXml();
    }
    if (value <= 0) {
      throw S3Errors.invalidArgument(message);
    }
    return value;
  }

  private static long size(String text) {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      throw StorageErrors.malformedXml();
    }
    throw S3Errors.invalidArgument("Object size filters must be non-negative");
  }

  private static boolean bool(String text) {
    return switch (text.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw StorageErrors.malformedXml();
    };
  }

  /** An ISO-8601 date or date-time at midnight UTC, canonical as S3 writes dates. */
  private static String midnight(String text) {
    Instant instant;
    try {
      instant = text.trim().length() == 10
          ? LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw S3Errors.invalidArgument("Invalid date");
    }
    if (!instant.truncatedTo(ChronoUnit.DAYS).equals(instant)) {
      throw S3Errors.invalidArgument("'Date' must be at midnight GMT");
    }
    return HttpDates.xml(instant);
  }
}
