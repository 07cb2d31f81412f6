package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * CopyObject's tags: {@code x-amz-tagging-directive} COPY (the default) keeps the source's tags,
 * REPLACE takes {@code x-amz-tagging}'s, whatever the metadata directive chose for the rest.
 */
final class CopyTagging {

  private CopyTagging() {}

  /**
   * The copy's metadata from the source version's.
   *
   * @param replacement the metadata directive's REPLACE metadata, or empty to keep the source's
   */
  static UnaryOperator<ObjectMetadata> metadataOf(
      String directive, String taggingHeader, Optional<ObjectMetadata> replacement) {
    String chosen = directive == null ? "COPY" : directive;
    if (!chosen.equals("COPY") && !chosen.equals("REPLACE")) {
      throw S3Errors.invalidArgument("Unknown tagging directive.");
    }
    Map<String, String> replaced = TagSets.fromHeader(taggingHeader, TagSets.OBJECT_TAGS_MAX);
    boolean replace = chosen.equals("REPLACE");
    return source -> replacement.orElse(source).withTags(replace ? replaced : source.tags());
  }
}
