package dev.canopy.cloud.ec2;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryTree;
import dev.canopy.api.xml.XmlWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every taggable family shares on the wire: TagSpecifications on create, {@code tagSet} in
 * Describe items, and the tag filters ({@code tag:KEY}, {@code tag-key}, {@code tag-value}).
 */
public final class Ec2Tags {

  private Ec2Tags() {}

  /**
   * The tags of {@code TagSpecification.N} entries for {@code resourceType}; an entry naming
   * another type is InvalidParameterValue, as AWS answers.
   */
  public static Map<String, String> fromSpecifications(QueryTree root, String resourceType) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (QueryTree spec : root.list("TagSpecification")) {
      String type = spec.string("ResourceType").orElse("");
      if (!type.equals(resourceType)) {
        throw Ec2Errors.invalidParameterValue("'" + type + "' is not a valid taggable resource type for this operation.");
      }
      tags.putAll(tagList(spec, "Tag"));
    }
    return tags;
  }

  /** {@code name.N.Key} / {@code name.N.Value} (a missing value is the empty string). */
  static Map<String, String> tagList(QueryTree node, String name) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (QueryTree tag : node.list(name)) {
      String key = tag.requiredString("Key");
      if (tags.put(key, tag.string("Value").orElse("")) != null) {
        throw Ec2Errors.invalidParameterValue("Duplicate tag key '" + key + "' in one request");
      }
    }
    return tags;
  }

  /** {@code <tagSet>} with one item per tag, in key order. */
  public static void render(XmlWriter xml, Map<String, String> tags) {
    xml.start("tagSet");
    tags.forEach((k, v) -> xml.start("item").element("key", k).element("value", v).end());
    xml.end();
  }

  /** The resource's values for a tag filter, or null when {@code filter} is not one. */
  public static List<String> filterValues(String filter, Map<String, String> tags) {
    if (filter.startsWith("tag:")) {
      String value = tags.get(filter.substring(4));
      return value == null ? List.of() : List.of(value);
    }
    return switch (filter) {
      case "tag-key" -> new ArrayList<>(tags.keySet());
      case "tag-value" -> new ArrayList<>(tags.values());
      default -> null;
    };
  }

  /** InvalidParameterValue for a filter the action does not support, worded as EC2 words it. */
  static RuntimeException unknownFilter(String name) {
    return Ec2Errors.invalidParameterValue("The filter '" + name + "' is invalid");
  }
}
