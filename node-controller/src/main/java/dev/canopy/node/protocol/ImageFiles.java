package dev.canopy.node.protocol;

/**
 * The files an instance boots from: the root disk image (raw or qcow2), and for direct kernel
 * boot a kernel and ramdisk (Eucalyptus's EMI, EKI and ERI). Kernel and ramdisk may be null.
 */
public record ImageFiles(ImageObject disk, ImageObject kernel, ImageObject ramdisk) {}
