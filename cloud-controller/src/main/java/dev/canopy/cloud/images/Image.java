package dev.canopy.cloud.images;

import java.time.Instant;
import java.util.List;

/**
 * One registered image (grid key: image id).
 *
 * @param imageId {@code ami-} (machine), {@code aki-} (kernel) or {@code ari-} (ramdisk)
 * @param imageType EC2's {@code machine}, {@code kernel} or {@code ramdisk}
 * @param imageLocation the S3 object holding the disk (or kernel, or ramdisk): bucket/key
 * @param kernelId the kernel image a machine image boots with, or null (boots its own)
 * @param ramdiskId the ramdisk image, or null
 * @param isPublic launch permission group {@code all}: every account may see and launch it
 * @param launchPermissions the other accounts the owner shared it with (launch permission
 *     {@code userId}s), in the order granted; null in records stored before sharing existed
 * @param imageBucketId the id of the bucket {@code imageLocation} named when the image was
 *     registered: the image reads its object there, so a bucket of the same name created later
 *     (by anyone) can never swap its disk; once that bucket is deleted the image fails to launch,
 *     saying its object no longer exists. Null in records stored before bucket ids, and read as
 *     the location's bucket name, which is where such buckets keep their objects
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
    Instant creationDate,
    List<String> launchPermissions,
    String imageBucketId) {

  public Image {
    launchPermissions = launchPermissions == null ? List.of() : List.copyOf(launchPermissions);
    if (imageBucketId == null) {
      imageBucketId = ObjectLocation.parse(imageLocation).map(ObjectLocation::bucket).orElse(null);
    }
  }

  /** An image as recorded before bucket ids: its bucket's id is the location's bucket name. */
  public Image(String imageId, String ownerId, String name, String description, String state, String imageType,
      String architecture, String rootDeviceName, String imageLocation, String kernelId, String ramdiskId,
      boolean isPublic, Instant creationDate, List<String> launchPermissions) {
    this(imageId, ownerId, name, description, state, imageType, architecture, rootDeviceName, imageLocation, kernelId,
        ramdiskId, isPublic, creationDate, launchPermissions, null);
  }

  /** Owner of the images the cloud registers for everyone. */
  public static final String SYSTEM_OWNER = "canopy";

  /** The owner, every account when public, and the accounts it is shared with may see and launch it. */
  public boolean visibleTo(String accountId) {
    return isPublic || ownerId.equals(accountId) || launchPermissions.contains(accountId);
  }

  public Image withLaunchPermissions(boolean shownToAll, List<String> accountIds) {
    return new Image(imageId, ownerId, name, description, state, imageType, architecture, rootDeviceName, imageLocation,
        kernelId, ramdiskId, shownToAll, creationDate, accountIds, imageBucketId);
  }

  public Image withDescription(String text) {
    return new Image(imageId, ownerId, name, text, state, imageType, architecture, rootDeviceName, imageLocation,
        kernelId, ramdiskId, isPublic, creationDate, launchPermissions, imageBucketId);
  }
}
