package dev.canopy.storage.lifecycle;

import dev.canopy.storage.local.Records;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A bucket's lifecycle rules, in the order given. Stored as the bucket's {@value #DOCUMENT}
 * document in the JSON of {@link #toJson()}: a canonical text both the S3 layer (to answer
 * GetBucketLifecycleConfiguration) and the executor read.
 */
public record LifecycleConfiguration(List<LifecycleRule> rules) {

  /** The bucket configuration document's name, the S3 sub-resource. */
  public static final String DOCUMENT = "lifecycle";

  public LifecycleConfiguration {
    rules = List.copyOf(rules);
  }

  public String toJson() {
    return new String(Records.encode(this), StandardCharsets.UTF_8);
  }

  public static LifecycleConfiguration fromJson(String json) {
    return Records.decode(Records.utf8(json), LifecycleConfiguration.class);
  }
}
