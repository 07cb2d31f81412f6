package dev.canopy.cloud.images;

/**
 * RegisterImage as the domain sees it.
 *
 * @param imageLocation the disk's S3 object (bucket/key); null when only a root device is named
 * @param kernelId an {@code aki-} image to boot with, or null
 * @param ramdiskId an {@code ari-} image, or null
 */
public record RegisterImageRequest(
    String name, String description, String imageLocation, String rootDeviceName, String architecture, String kernelId, String ramdiskId) {}
