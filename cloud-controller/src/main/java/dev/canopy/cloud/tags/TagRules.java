package dev.canopy.cloud.tags;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import java.util.Locale;
import java.util.Map;

/** AWS's tag limits, checked before anything is stored. */
public final class TagRules {

  public static final int TAGS_PER_RESOURCE_MAX = 50;
  public static final int KEY_CHARS_MAX = 128;
  public static final int VALUE_CHARS_MAX = 256;
  /** Keys AWS reserves for itself; users may neither create nor delete them. */
  static final String RESERVED_PREFIX = "aws:";

  private TagRules() {}

  /** @throws AwsException InvalidParameterValue for a bad key or value, TagLimitExceeded past 50 */
  public static void check(Map<String, String> tags) {
    tags.forEach(TagRules::checkTag);
    checkCount(tags.size());
  }

  static void checkTag(String key, String value) {
    checkKey(key);
    if (characters(value) > VALUE_CHARS_MAX) {
      throw Ec2Errors.invalidParameterValue("Tag value exceeds the maximum length of " + VALUE_CHARS_MAX + " characters");
    }
  }

  static void checkKey(String key) {
    if (key.isEmpty()) {
      throw Ec2Errors.invalidParameterValue("Tag key cannot be empty");
    }
    if (characters(key) > KEY_CHARS_MAX) {
      throw Ec2Errors.invalidParameterValue("Tag key exceeds the maximum length of " + KEY_CHARS_MAX + " characters");
    }
    if (key.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
      throw Ec2Errors.invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    }
  }

  /** AWS counts Unicode characters: one outside the BMP (two UTF-16 units) is one character. */
  private static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  static void checkCount(int count) {
    if (count > TAGS_PER_RESOURCE_MAX) {
      throw new AwsException(400, "TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
    }
  }
}
