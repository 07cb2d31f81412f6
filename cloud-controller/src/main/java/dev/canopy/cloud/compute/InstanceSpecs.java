package dev.canopy.cloud.compute;

import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageCatalog;
import dev.canopy.cloud.images.ImageDelivery;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.InstanceSpec;
import java.util.Optional;

/**
 * Builds what a node needs to run an instance, from the instance record and the catalogs: at
 * launch, and again at every start and re-drive, so a type or user-data change made while the
 * instance was stopped reaches its node, and image links are always fresh (they expire).
 */
final class InstanceSpecs {

  private final InstanceTypes types;
  private final ImageCatalog images;
  private final KeyPairCheck keyPairs;
  private final ImageDelivery delivery;
  private final FirewallSync firewalls;

  InstanceSpecs(InstanceTypes types, ImageCatalog images, KeyPairCheck keyPairs, ImageDelivery delivery, FirewallSync firewalls) {
    this.types = types;
    this.images = images;
    this.keyPairs = keyPairs;
    this.delivery = delivery;
    this.firewalls = firewalls;
  }

  /** At launch, with what RunInstances already resolved. */
  InstanceSpec launch(Instance i, InstanceType type, ImageFiles files, String publicKey) {
    return spec(i, type, files, publicKey);
  }

  /**
   * For an existing instance. Empty when its node cannot be given the files it would boot from
   * (the image was deregistered since): the caller then starts the domain as it is defined.
   */
  Optional<InstanceSpec> current(Instance i) {
    InstanceType type = types.find(i.instanceType())
        .orElseThrow(() -> new IllegalStateException(i.instanceId() + " has an unknown type " + i.instanceType()));
    Optional<Image> image = images.launchable(i.ownerId(), i.imageId());
    if (image.isEmpty()) {
      return Optional.empty();
    }
    ImageFiles files = delivery.files(i.ownerId(), image.get());
    // A key pair deleted since launch leaves the instance as it is: no key on the new seed.
    String publicKey = i.keyName() == null ? null : keyPairs.publicKey(i.ownerId(), i.keyName()).orElse(null);
    return Optional.of(spec(i, type, files, publicKey));
  }

  private InstanceSpec spec(Instance i, InstanceType type, ImageFiles files, String publicKey) {
    return new InstanceSpec(i.instanceId(), i.ownerId(), type.name(), type.vcpus(), type.memoryMib(), type.diskGib(),
        i.imageId(), i.userData(), publicKey, i.macAddress(), files, firewalls.firewallFor(i));
  }
}
