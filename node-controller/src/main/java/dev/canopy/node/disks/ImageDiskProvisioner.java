package dev.canopy.node.disks;

import dev.canopy.images.cache.ImageCache;
import dev.canopy.node.commands.DiskProvisioner;
import dev.canopy.node.commands.InstanceFiles;
import dev.canopy.node.commands.ProvisionedDisk;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gives an instance its image: the files fetched through the {@link ImageCache} (verified by
 * digest), pinned under the instance id so no eviction takes an overlay's backing file, a qcow2
 * overlay {@code instances/<id>/root.qcow2} over the base image, grown to the instance type's
 * root disk size, and a NoCloud seed {@code instances/<id>/seed.iso}. A spec without image files
 * goes to the fallback provisioner (an empty disk and the node's configured kernel), and gets a
 * seed too, so every guest learns its id and hostname.
 *
 * <p>Idempotent: a retried RunInstance keeps an existing overlay (the guest may have written to
 * it) and rebuilds only the seed. {@link #release} unpins after the instance's files are gone.
 */
public final class ImageDiskProvisioner implements DiskProvisioner {

  /** The seed's name in the instance dir; the domain attaches it as a second, read-only disk. */
  static final String SEED = "seed.iso";
  static final String OVERLAY = "root.qcow2";

  private final ImageCache cache;
  private final QemuImg qemuImg;
  private final SeedIso seeds;
  private final DiskProvisioner fallback;
  private final Function<String, Optional<String>> addressOf;
  private final String kernelCmdline;

  /**
   * @param fallback for specs without image files (a {@code SparseDiskProvisioner})
   * @param addressOf the instance's private address, once the node's network assigned one: it
   *     names the guest ({@code ip-10-0-0-5}); before that, the instance id does
   * @param extraKernelCmdline appended to {@code console=ttyS0} for direct kernel boot, or null
   */
  public ImageDiskProvisioner(ImageCache cache, QemuImg qemuImg, SeedIso seeds, DiskProvisioner fallback,
      Function<String, Optional<String>> addressOf, String extraKernelCmdline) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.qemuImg = Objects.requireNonNull(qemuImg, "qemuImg");
    this.seeds = Objects.requireNonNull(seeds, "seeds");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.addressOf = Objects.requireNonNull(addressOf, "addressOf");
    // The serial console is the instance's console log (GetConsoleOutput).
    this.kernelCmdline = extraKernelCmdline == null || extraKernelCmdline.isBlank()
        ? "console=ttyS0" : "console=ttyS0 " + extraKernelCmdline.strip();
  }

  @Override
  public ProvisionedDisk provision(InstanceSpec spec, InstanceFiles files) throws IOException {
    String id = spec.instanceId();
    ProvisionedDisk disk = spec.image() == null ? fallback.provision(spec, files) : fromImage(spec, files);
    Path dir = files.create(id);
    // QEMU runs as another user: it must traverse to the overlay and seed (libvirt relabels the files).
    readableByQemu(dir.getParent(), "rwxr-xr-x");
    readableByQemu(dir, "rwxr-xr-x");
    Path seed = dir.resolve(SEED);
    String hostname = spec.hostname(addressOf.apply(id).orElse(null));
    seeds.build(seed, new SeedIso.Seed(id, hostname, spec.sshPublicKey(), spec.userDataBase64()));
    return disk.withSeedIso(seed);
  }

  /** Unpins the instance's image files; call once its overlay is deleted. */
  @Override
  public void release(String instanceId) throws IOException {
    cache.unpin(instanceId);
  }

  private ProvisionedDisk fromImage(InstanceSpec spec, InstanceFiles files) throws IOException {
    String id = spec.instanceId();
    ImageFiles image = spec.image();
    if (image.disk() == null) {
      throw new IllegalArgumentException("image files lack the root disk");
    }
    // A ramdisk only makes sense with a kernel to hand it to; disk-booting images carry their own.
    ImageObject kernel = image.kernel();
    ImageObject ramdisk = kernel == null ? null : image.ramdisk();
    List<String> digests = new ArrayList<>();
    for (ImageObject o : new ImageObject[] {image.disk(), kernel, ramdisk}) {
      if (o != null) {
        digests.add(o.sha256());
      }
    }
    // Pinned before fetching: nothing may evict a file between its download and its use.
    cache.pin(id, digests);
    Path base = fetch(image.disk());
    Path kernelFile = kernel == null ? null : fetch(kernel);
    Path ramdiskFile = ramdisk == null ? null : fetch(ramdisk);

    Path dir = files.create(id);
    Path overlay = dir.resolve(OVERLAY);
    if (!Files.exists(overlay)) {
      createOverlay(base, overlay, (long) spec.rootDiskGib() << 30);
    }
    return new ProvisionedDisk(overlay, "qcow2", kernelFile, ramdiskFile, kernelFile == null ? null : kernelCmdline);
  }

  private Path fetch(ImageObject o) throws IOException {
    if (o.url() == null || o.sha256() == null) {
      throw new IllegalArgumentException("an image file lacks its url or sha256");
    }
    List<URI> mirrors = new ArrayList<>();
    for (String url : o.urls()) {
      try {
        mirrors.add(new URI(url));
      } catch (URISyntaxException e) {
        // The message quotes the URL, presigned signature included: keep it out of the ack.
        throw new IllegalArgumentException("an image file's URL is malformed");
      }
    }
    return cache.fetch(mirrors, o.sha256(), o.sizeBytes());
  }

  /** Builds the overlay at a temp name and renames it, so a crash never leaves a half-made root.qcow2. */
  private void createOverlay(Path base, Path overlay, long rootDiskBytes) throws IOException {
    QemuImg.Info info = qemuImg.info(base);
    if (!info.safeBase()) {
      throw new IOException("the image's disk is not a usable base image (format " + info.format()
          + (info.backingFile() != null || info.dataFile() != null ? ", refers to other files" : "") + ")");
    }
    Path partial = overlay.resolveSibling(OVERLAY + ".part");
    Files.deleteIfExists(partial);
    try {
      qemuImg.createOverlay(base, info.format(), partial);
      if (rootDiskBytes > info.virtualSizeBytes()) {
        qemuImg.resize(partial, rootDiskBytes);
      }
      readableByQemu(partial, "rw-r--r--");
      Files.move(partial, overlay, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void readableByQemu(Path path, String mode) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }
}
