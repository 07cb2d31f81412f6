package dev.canopy.deploy.cluster;

import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.s3.BucketNames;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the tiny image (images/tiny/build.sh) into the object store and registers it as the
 * cloud's public image {@value #NAME}, with its kernel and ramdisk (Eucalyptus's EMI/EKI/ERI),
 * so run-instances works out of the box. Idempotent across restarts.
 */
public final class SystemImages {

  public static final String NAME = "canopy-tiny";
  /**
   * Reserved for the cloud ({@link BucketNames#isReserved}); its record keeps id = name, as no
   * tenant can delete or take it, so its name is as stable as an id.
   */
  static final String BUCKET = BucketNames.SYSTEM_IMAGES;
  private static final int CHUNK_BYTES = 1024 * 1024;

  private SystemImages() {}

  public static Optional<Image> registerTiny(Path imageDir, BucketRegistry buckets, ObjectBackend objects, ImageService images,
      String region, InstantSource clock) throws IOException {
    for (String file : new String[] {"vmlinuz", "initramfs.gz", "root.img"}) {
      if (!Files.isRegularFile(imageDir.resolve(file))) {
        return Optional.empty();
      }
    }
    buckets.create(new BucketRecord(BUCKET, Image.SYSTEM_OWNER, clock.instant(), region));
    String disk = upload(imageDir.resolve("root.img"), "tiny/root.img", objects);
    String kernel = upload(imageDir.resolve("vmlinuz"), "tiny/vmlinuz", objects);
    String ramdisk = upload(imageDir.resolve("initramfs.gz"), "tiny/initramfs.gz", objects);
    return Optional.of(images.registerSystemImage(NAME, "Canopy's tiny test guest (busybox, Debian cloud kernel)", disk, kernel, ramdisk));
  }

  /** Streams one file into the store in bounded chunks, unless the same size is already there. */
  private static String upload(Path file, String key, ObjectBackend objects) throws IOException {
    long size = Files.size(file);
    if (objects.head(BUCKET, key).map(info -> info.size() == size).orElse(false)) {
      return BUCKET + "/" + key;
    }
    BlobWriter blob = objects.newBlob();
    MessageDigest md5 = md5();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[CHUNK_BYTES];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
        blob.write(ByteBuffer.wrap(buffer, 0, n));
      }
      objects.commitObject(BUCKET, key, blob, md5.digest(),
          new ObjectMetadata("application/octet-stream", null, null, null, null, null, Map.of()), Map.of());
    } catch (IOException | RuntimeException e) {
      blob.abort();
      throw e;
    }
    return BUCKET + "/" + key;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
