package dev.canopy.cloud.images;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.http.UriEncoding;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.storage.backend.ObjectDigest;
import dev.canopy.storage.s3.S3Server;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Presigned S3 GET URLs for an image's objects, signed with the cloud's internal object-reader
 * credential (which the S3 front end lets read any bucket, and nothing else), plus each object's
 * SHA-256 and size so the node can check what it downloaded. The digests come from the storage
 * role ({@link ObjectDigests}), which computes each once per object version.
 */
public final class PresignedImageDelivery implements ImageDelivery {

  private final ImageCatalog catalog;
  private final ObjectDigests digests;
  private final Supplier<List<URI>> s3Endpoints;
  /** Rotates which endpoint a link names first, so that downloads spread over the storage nodes. */
  private final AtomicInteger firstEndpoint = new AtomicInteger();
  private final Credential reader;
  private final String region;
  private final SigV4Signer signer;
  private final Duration linkLifetime;

  /**
   * @param s3Endpoints every storage node's S3 endpoint as nodes reach it (asked per launch: it is
   *     bound after compute starts); a node tries the others when the first cannot serve
   * @param linkLifetime how long a link stays valid: long enough to start a download on a busy node
   */
  public PresignedImageDelivery(ImageCatalog catalog, ObjectDigests digests, Supplier<List<URI>> s3Endpoints, Credential reader,
      String region, InstantSource clock, Duration linkLifetime) {
    this.catalog = catalog;
    this.digests = digests;
    this.s3Endpoints = s3Endpoints;
    this.reader = reader;
    this.region = region;
    this.signer = new SigV4Signer(clock);
    this.linkLifetime = linkLifetime;
  }

  @Override
  public ImageFiles files(String accountId, Image image) {
    return new ImageFiles(object(image), part(image.kernelId()), part(image.ramdiskId()));
  }

  private ImageObject part(String imageId) {
    if (imageId == null) {
      return null;
    }
    Image part = catalog.bootPart(imageId).orElseThrow(() -> ImageErrors.notFound(imageId));
    return object(part);
  }

  /**
   * The object in the bucket the image was registered from, by that bucket's id: a bucket of the
   * same name created since holds other objects under another id, so its disk cannot stand in
   * (the digest is read by id, and the link names the id, which S3 checks).
   */
  private ImageObject object(Image image) {
    String location = image.imageLocation();
    ObjectLocation object = ObjectLocation.parse(location)
        .orElseThrow(() -> Ec2Errors.invalidParameterValue("The image's location is not bucket/key: " + location));
    ObjectDigest digest = digests.digest(image.imageBucketId(), object.key())
        .orElseThrow(() -> Ec2Errors.invalidParameterValue("The image's object " + location + " no longer exists."));
    List<URI> endpoints = s3Endpoints.get();
    int first = Math.floorMod(firstEndpoint.getAndIncrement(), endpoints.size());
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      URI plain = endpoints.get((first + i) % endpoints.size()).resolve("/" + UriEncoding.encode(object.bucket()) + "/"
          + UriEncoding.encodePath(object.key())
          + "?" + S3Server.IMAGE_BUCKET_ID_PARAM + "=" + UriEncoding.encode(image.imageBucketId()));
      urls.add(signer.presign("GET", plain, linkLifetime, reader, region, "s3").toString());
    }
    return new ImageObject(urls.get(0), digest.sha256(), digest.size(), urls.subList(1, urls.size()));
  }
}
