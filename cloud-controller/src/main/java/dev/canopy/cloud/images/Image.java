package dev.canopy.cloud.images;

import java.time.Instant;

/**
 * One registered image (grid key: image id).
 *
 * @param imageId {@code ami-} (machine), {@code aki-} (kernel) or {@code ari-} (ramdisk)
 * @param imageType EC2's {@code machine}, {@code kernel} or {@code ramdisk}
 * @param imageLocation the S3 object holding the disk (or kernel, or ramdisk): bucket/key
 * @param kernelId the kernel image a machine image boots with, or null (boots its own)
 * @param ramdiskId the ramdisk image, or null
 */
public record Image(
    String imageId,
    String ownerId,
    String name,
    String description,
    String state,
    String imageType,
    String architecture,
    String rootDeviceName,
    String imageLocation,
    String kernelId,
    String ramdiskId,
    boolean isPublic,
    Instant creationDate) {

  /** Owner of the images the cloud registers for everyone. */
  public static final String SYSTEM_OWNER = "canopy";

  public boolean visibleTo(String accountId) {
    return isPublic || ownerId.equals(accountId);
  }
}
