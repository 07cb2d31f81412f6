package dev.canopy.cloud.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.error.AwsException;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.storage.backend.ObjectDigest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a node is told about an image's files: presigned links, and the size and SHA-256 the storage role reports. */
class PresignedImageDeliveryTest {

  private static final Credential READER = new Credential("AKIACANOPYIMAGEREAD", "secret", "000000000001");
  private static final String DISK_SHA256 = "a".repeat(64);
  private static final String KERNEL_SHA256 = "b".repeat(64);

  private final Map<String, ObjectDigest> stored = new HashMap<>(Map.of(
      "images/disks/tiny disk.qcow2", new ObjectDigest(5_000_000, "etag-1", DISK_SHA256),
      "images/vmlinuz", new ObjectDigest(9_000, "etag-2", KERNEL_SHA256)));
  private final ObjectDigests digests = (bucket, key) -> Optional.ofNullable(stored.get(bucket + "/" + key));
  private final Image kernel = image("aki-11111111", "kernel", "images/vmlinuz", null);
  private final ImageCatalog catalog = new ImageCatalog() {
    @Override
    public Optional<Image> launchable(String accountId, String imageId) {
      return Optional.empty();
    }

    @Override
    public Optional<Image> bootPart(String imageId) {
      return imageId.equals(kernel.imageId()) ? Optional.of(kernel) : Optional.empty();
    }
  };
  private final PresignedImageDelivery delivery = new PresignedImageDelivery(catalog, digests,
      () -> List.of(URI.create("http://10.0.0.1:8779")), READER, "canopy-1", InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")),
      Duration.ofMinutes(30));

  private static Image image(String id, String type, String location, String kernelId) {
    return new Image(id, "123456789012", id, null, "available", type, "x86_64", "/dev/vda", location, kernelId, null, false,
        Instant.parse("2026-01-01T00:00:00Z"), List.of());
  }

  @Test
  void eachFileIsAPresignedGetWithTheSizeAndSha256FromStorage() {
    ImageFiles files = delivery.files("123456789012", image("ami-22222222", "machine", "images/disks/tiny disk.qcow2", kernel.imageId()));

    URI disk = URI.create(files.disk().url());
    assertThat(disk.getRawPath()).isEqualTo("/images/disks/tiny%20disk.qcow2");
    assertThat(disk.getQuery()).contains("X-Amz-Credential=AKIACANOPYIMAGEREAD/20260301/canopy-1/s3/aws4_request")
        .contains("X-Amz-Expires=1800").contains("X-Amz-Signature=");
    assertThat(files.disk().sha256()).isEqualTo(DISK_SHA256);
    assertThat(files.disk().sizeBytes()).isEqualTo(5_000_000);
    assertThat(files.kernel().sha256()).isEqualTo(KERNEL_SHA256);
    assertThat(files.kernel().sizeBytes()).isEqualTo(9_000);
    assertThat(files.ramdisk()).isNull();
  }

  @Test
  void withSeveralStorageNodesEachFileIsSignedOnEveryEndpointTheFirstRotating() {
    List<URI> endpoints = List.of(URI.create("http://10.0.0.1:8779"), URI.create("http://10.0.0.2:8779"),
        URI.create("https://10.0.0.3:8779"));
    PresignedImageDelivery spread = new PresignedImageDelivery(catalog, digests, () -> endpoints, READER, "canopy-1",
        InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofMinutes(30));
    Image machine = image("ami-22222222", "machine", "images/disks/tiny disk.qcow2", null);

    List<String> firstHosts = new java.util.ArrayList<>();
    for (int launch = 0; launch < 3; launch++) {
      ImageObject disk = spread.files("123456789012", machine).disk();
      List<URI> urls = disk.urls().stream().map(URI::create).toList();
      assertThat(urls).extracting(URI::getHost).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.0.0.3");
      assertThat(urls).allSatisfy(url -> {
        assertThat(url.getRawPath()).isEqualTo("/images/disks/tiny%20disk.qcow2");
        assertThat(url.getQuery()).contains("X-Amz-Signature=");
      });
      firstHosts.add(urls.get(0).getHost());
    }
    assertThat(firstHosts).as("downloads spread over the storage nodes").containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
  }

  @Test
  void aFileGoneFromStorageOrALocationThatIsNoObjectIsTheCallersError() {
    stored.remove("images/disks/tiny disk.qcow2");
    assertThatThrownBy(() -> delivery.files("123456789012", image("ami-22222222", "machine", "images/disks/tiny disk.qcow2", null)))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining("no longer exists");
    assertThatThrownBy(() -> delivery.files("123456789012", image("ami-33333333", "machine", "no-slash", null)))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining("not bucket/key");
  }
}
