package dev.canopy.cloud.images;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.http.UriEncoding;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presigned S3 GET URLs for an image's objects, signed with the cloud's internal object-reader
 * credential (which the S3 front end lets read any bucket, and nothing else), plus each object's
 * SHA-256 so the node can check what it downloaded.
 *
 * <p>S3 keeps MD5-based ETags, not SHA-256, so the digest is computed here once per object
 * version (keyed by its ETag) and remembered: an image's files are read in full at its first
 * launch after a controller start, never again.
 */
public final class PresignedImageDelivery implements ImageDelivery {

  private static final int READ_BYTES = 1024 * 1024;
  /** Bounds the digest memo; each entry is ~200 bytes. */
  private static final int DIGESTS_MAX = 100_000;

  private final ImageCatalog catalog;
  private final ObjectBackend objects;
  private final java.util.function.Supplier<URI> s3Endpoint;
  private final Credential reader;
  private final String region;
  private final SigV4Signer signer;
  private final Duration linkLifetime;
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  /**
   * @param s3Endpoint the S3 endpoint as nodes reach it (asked per launch: it is bound after compute starts)
   * @param linkLifetime how long a link stays valid: long enough to start a download on a busy node
   */
  public PresignedImageDelivery(ImageCatalog catalog, ObjectBackend objects, java.util.function.Supplier<URI> s3Endpoint, Credential reader,
      String region, InstantSource clock, Duration linkLifetime) {
    this.catalog = catalog;
    this.objects = objects;
    this.s3Endpoint = s3Endpoint;
    this.reader = reader;
    this.region = region;
    this.signer = new SigV4Signer(clock);
    this.linkLifetime = linkLifetime;
  }

  @Override
  public ImageFiles files(String accountId, Image image) {
    return new ImageFiles(object(image.imageLocation()), part(image.kernelId()), part(image.ramdiskId()));
  }

  private ImageObject part(String imageId) {
    if (imageId == null) {
      return null;
    }
    Image part = catalog.bootPart(imageId).orElseThrow(() -> ImageErrors.notFound(imageId));
    return object(part.imageLocation());
  }

  private ImageObject object(String location) {
    int slash = location == null ? -1 : location.indexOf('/');
    if (slash <= 0 || slash == location.length() - 1) {
      throw Ec2Errors.invalidParameterValue("The image's location is not bucket/key: " + location);
    }
    String bucket = location.substring(0, slash);
    String key = location.substring(slash + 1);
    ObjectInfo info = objects.head(bucket, key)
        .orElseThrow(() -> Ec2Errors.invalidParameterValue("The image's object " + location + " no longer exists."));
    String sha256 = digests.computeIfAbsent(location + "@" + info.etag(), k -> sha256(bucket, key));
    if (digests.size() > DIGESTS_MAX) {
      digests.clear(); // recomputed on demand; a memo, not a record
    }
    URI plain = s3Endpoint.get().resolve("/" + UriEncoding.encode(bucket) + "/" + UriEncoding.encodePath(key));
    URI url = signer.presign("GET", plain, linkLifetime, reader, region, "s3");
    return new ImageObject(url.toString(), sha256, info.size());
  }

  private String sha256(String bucket, String key) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (ObjectReader in = objects.open(bucket, key)) {
      long offset = 0;
      for (byte[] part; (part = in.read(offset, READ_BYTES)).length > 0; offset += part.length) {
        digest.update(part);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
