/**
 * Instance disks from images: {@link dev.canopy.node.disks.ImageDiskProvisioner} fetches an
 * instance's image files through the node's image cache, pins them, puts a copy-on-write qcow2
 * overlay over the base image ({@link dev.canopy.node.disks.QemuImg}) and builds its NoCloud seed
 * ISO ({@link dev.canopy.node.disks.SeedIso}). External tools run through
 * {@link dev.canopy.node.disks.Tool}, each with a bounded timeout.
 * {@link dev.canopy.node.disks.GuestPathAccess} lets QEMU's user search the directories on the
 * way to those files.
 *
 * <p>Per instance, under {@code instances/<id>/}: {@code root.qcow2} (kept across retried
 * RunInstance commands: the guest may have written it) and {@code seed.iso} (rebuilt each time).
 */
package dev.canopy.node.disks;
