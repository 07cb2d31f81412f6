package dev.canopy.deploy.config;

import dev.canopy.storage.objects.ObjectStoreSettings;
import java.time.Duration;

/**
 * How long the object store keeps what no client will finish ({@code s3.store.*}); unset keys
 * take {@link ObjectStoreSettings#DEFAULTS}. All positive.
 *
 * @param uploadExpiryDays a multipart upload neither completed nor aborted this long after it
 *     started is aborted and its parts' space freed (AWS keeps them until a lifecycle rule acts)
 * @param gcLeewaySeconds how long the bytes of an overwritten or deleted object stay readable for
 *     a download that was already under way, before the collector frees them
 */
public record S3Store(Integer uploadExpiryDays, Integer gcLeewaySeconds) {

  public S3Store {
    ObjectStoreSettings d = ObjectStoreSettings.DEFAULTS;
    uploadExpiryDays = Limits.positive("s3.store.uploadExpiryDays", uploadExpiryDays, (int) d.uploadExpiry().toDays());
    gcLeewaySeconds = Limits.positive("s3.store.gcLeewaySeconds", gcLeewaySeconds, (int) d.gcLeeway().toSeconds());
  }

  public ObjectStoreSettings objectStoreSettings() {
    return ObjectStoreSettings.DEFAULTS.withExpiry(Duration.ofDays(uploadExpiryDays), Duration.ofSeconds(gcLeewaySeconds));
  }
}
