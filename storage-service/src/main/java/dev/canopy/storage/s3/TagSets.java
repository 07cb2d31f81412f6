package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.s3.xml.SafeXml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Tag sets as S3 takes them (a {@code <Tagging>} body, the URL-query-encoded {@code x-amz-tagging}
 * header, a lifecycle filter's {@code <Tag>}s) and the rules every one of them must follow, with
 * AWS's answers: too many tags, a key of 0 or more than 128 characters, a value of more than 256,
 * a repeated key or one starting {@code aws:}, and characters outside AWS's tag set (letters,
 * digits and spaces of any script, and {@code _ . : / = + - @}) are InvalidTag (400). Lengths
 * count Unicode code points, as AWS does.
 */
final class TagSets {

  static final int OBJECT_TAGS_MAX = 10;
  static final int BUCKET_TAGS_MAX = 50;
  static final int KEY_LENGTH_MAX = 128;
  static final int VALUE_LENGTH_MAX = 256;
  /** 50 tags of 384 characters of up to 4 UTF-8 bytes, with room for the XML around them. */
  static final int BODY_BYTES_MAX = 128 * 1024;
  /** Keys AWS keeps for its own tags. */
  private static final String RESERVED_PREFIX = "aws:";
  /** What AWS allows in tag keys and values, across its services. */
  private static final Pattern TAG_CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private TagSets() {}

  /** A {@code <Tagging><TagSet>...</TagSet></Tagging>} body, checked. */
  static Map<String, String> fromXml(byte[] body, int tagsMax) {
    Element root = S3Xml.requestRoot(body, "Tagging");
    List<Element> sets = SafeXml.children(root, "TagSet");
    if (sets.size() != 1) {
      throw StorageErrors.malformedXml();
    }
    return checked(tagElements(sets.get(0)), tagsMax);
  }

  /** The {@code <Tag><Key/><Value/></Tag>} children of an element, in order, unchecked. */
  static List<Map.Entry<String, String>> tagElements(Element parent) {
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    for (Element tag : SafeXml.children(parent, "Tag")) {
      String key = SafeXml.childText(tag, "Key").orElseThrow(StorageErrors::malformedXml);
      String value = SafeXml.childText(tag, "Value").orElseThrow(StorageErrors::malformedXml);
      tags.add(Map.entry(key, value));
    }
    return tags;
  }

  /** The {@code x-amz-tagging} header ({@code k1=v1&k2=v2}, URL-encoded); empty when absent. */
  static Map<String, String> fromHeader(String header, int tagsMax) {
    if (header == null || header.isEmpty()) {
      return Map.of();
    }
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    for (String pair : header.split("&", -1)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      tags.add(Map.entry(decode(key), decode(value)));
    }
    return checked(tags, tagsMax);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Errors.invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters");
    }
  }

  /** The tags as a map in their order, having checked every rule. */
  static Map<String, String> checked(List<Map.Entry<String, String>> tags, int tagsMax) {
    if (tags.size() > tagsMax) {
      throw invalidTag("A tag set cannot have more than " + tagsMax + " tags");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> tag : tags) {
      checkOne(tag.getKey(), tag.getValue());
      if (checked.put(tag.getKey(), tag.getValue()) != null) {
        throw invalidTag("Cannot provide multiple Tags with the same key");
      }
    }
    return checked;
  }

  static void checkOne(String key, String value) {
    int keyLength = key.codePointCount(0, key.length());
    if (keyLength == 0 || keyLength > KEY_LENGTH_MAX || !TAG_CHARACTERS.matcher(key).matches()) {
      throw invalidTag("The TagKey you have provided is invalid");
    }
    if (!TAG_CHARACTERS.matcher(value).matches()) {
      throw invalidTag("The TagValue you have provided is invalid");
    }
    if (value.codePointCount(0, value.length()) > VALUE_LENGTH_MAX) {
      throw invalidTag("The TagValue you have provided is too long, max " + VALUE_LENGTH_MAX);
    }
    if (key.startsWith(RESERVED_PREFIX)) {
      throw invalidTag("Your TagKey cannot be prefixed with " + RESERVED_PREFIX);
    }
  }

  static AwsException invalidTag(String message) {
    return new AwsException(400, "InvalidTag", message);
  }

  /** {@code <Tagging><TagSet>...</TagSet></Tagging>}, the answer of GetObjectTagging and GetBucketTagging. */
  static String toXml(Map<String, String> tags) {
    return tags(S3Xml.document("Tagging").start("TagSet"), tags).end().end().toString();
  }

  /** Appends one {@code <Tag>} per entry to an open element. */
  static XmlWriter tags(XmlWriter xml, Map<String, String> tags) {
    tags.forEach((key, value) -> xml.start("Tag").element("Key", key).element("Value", value).end());
    return xml;
  }
}
