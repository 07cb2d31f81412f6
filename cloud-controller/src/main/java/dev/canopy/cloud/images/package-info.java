/**
 * Machine images (Eucalyptus's EMI/EKI/ERI idea): a machine image's disk, and optionally a
 * kernel and ramdisk image, are objects in the cloud's S3 store; the catalog records where
 * they are, who owns them and who may launch them. Owned by accounts, or by the cloud itself
 * ({@link dev.canopy.cloud.images.Image#SYSTEM_OWNER}) for the images it registers at start.
 */
package dev.canopy.cloud.images;
