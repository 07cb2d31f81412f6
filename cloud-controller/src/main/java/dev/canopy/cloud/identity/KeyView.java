package dev.canopy.cloud.identity;

import java.time.Instant;

/** An access key as the operator lists it: never its secret. */
public record KeyView(String accessKeyId, String status, Instant createdAt) {

  static KeyView of(AccessKey key) {
    return new KeyView(key.accessKeyId(), key.active() ? AccessKey.ACTIVE : AccessKey.INACTIVE, key.createdAt());
  }
}
