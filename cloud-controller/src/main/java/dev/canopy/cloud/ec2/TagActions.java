package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.Filters;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.query.QueryTree;
import dev.canopy.cloud.tags.Tag;
import dev.canopy.cloud.tags.Tagging;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** CreateTags, DeleteTags, DescribeTags over every registered taggable kind. */
public final class TagActions {

  /** DescribeTags pages: AWS allows 5 to 1,000 per page and defaults to all (bounded here). */
  static final int PAGE_MIN = 5;
  static final int PAGE_MAX = 1000;

  /** The filters DescribeTags answers; kept beside its switch. */
  static final java.util.Set<String> TAG_FILTERS = java.util.Set.of("resource-id", "resource-type", "key", "value");

  private TagActions() {}

  public static List<Ec2Action> of(Tagging tagging) {
    return List.of(
        NamedAction.of("CreateTags", (r, xml) -> {
          QueryParams p = r.params();
          Map<String, String> tags = Ec2Tags.tagList(p.tree(), "Tag");
          if (tags.isEmpty()) {
            throw Ec2Errors.missingParameter("Tag.1.Key");
          }
          tagging.create(r.principal().accountId(), p.list("ResourceId"), tags);
          xml.element("return", true);
        }),
        NamedAction.of("DeleteTags", (r, xml) -> {
          QueryParams p = r.params();
          List<Tagging.KeyMatch> matches = new ArrayList<>();
          for (QueryTree tag : p.tree().list("Tag")) {
            // A Value, even empty, must match; no Value deletes the key whatever its value.
            matches.add(new Tagging.KeyMatch(tag.requiredString("Key"), tag.string("Value")));
          }
          tagging.delete(r.principal().accountId(), p.list("ResourceId"), matches);
          xml.element("return", true);
        }),
        NamedAction.of("DescribeTags", (r, xml) -> {
          QueryParams p = r.params();
          int pageSize = p.integer("MaxResults", PAGE_MIN, PAGE_MAX).orElse(PAGE_MAX);
          String after = p.first("NextToken").map(TagActions::decodeToken).orElse(null);
          var filters = p.filters();
          Filters.requireKnown(filters, TAG_FILTERS::contains);
          List<Tag> shown = new ArrayList<>();
          for (Tag t : tagging.all(r.principal().accountId())) {
            boolean match = Filters.matchAll(filters, name -> switch (name) {
              case "resource-id" -> List.of(t.resourceId());
              case "resource-type" -> List.of(t.resourceType());
              case "key" -> List.of(t.key());
              case "value" -> List.of(t.value());
              default -> throw Ec2Tags.unknownFilter(name);
            });
            if (match && (after == null || position(t).compareTo(after) > 0)) {
              shown.add(t);
            }
          }
          xml.start("tagSet");
          for (Tag t : shown.subList(0, Math.min(pageSize, shown.size()))) {
            xml.start("item").element("resourceId", t.resourceId()).element("resourceType", t.resourceType())
                .element("key", t.key()).element("value", t.value()).end();
          }
          xml.end();
          if (shown.size() > pageSize) {
            xml.element("nextToken", encodeToken(position(shown.get(pageSize - 1))));
          }
        }));
  }

  /**
   * A tag's place in DescribeTags order (resource id, then key; NUL sorts before any key
   * character), so a token stays valid when tags are added or removed between pages.
   */
  private static String position(Tag t) {
    return t.resourceId() + "\u0000" + t.key();
  }

  private static String encodeToken(String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Ec2Errors.invalidParameterValue("The NextToken '" + token + "' is invalid");
    }
  }
}
