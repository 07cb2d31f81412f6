package dev.canopy.deploy.cluster;

import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.cloud.bootstrap.CloudIdentity;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.StoreTables;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageName;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.core.time.Time;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * A cloud's creation, once: master key, CA, the administrator's key and a first tenant, and the
 * tiny system image when one is given. The control-plane records go straight into the first
 * storage node's store, in the form the grid writes them, so the controllers
 * load them at their first start; every process gets {@code identity/} (the bundle and the key).
 * {@code canopy init} runs it for a multi-process cloud, the cloud in a box at its first start.
 */
public final class CloudInit {

  private CloudInit() {}

  /**
   * @param dir the cloud's folder: {@code identity/}, {@code admin/credentials}, {@code aws/}
   * @param storageData the first storage node's data folder; its store is {@code storageData/store}
   * @return the system image's id, when one was registered
   */
  public static Optional<String> create(Path dir, Path storageData, String region, Optional<Path> systemImage, Time clock,
      SecureRandom random) throws IOException {
    Path identityDir = identityDir(dir);
    Files.createDirectories(identityDir);
    MasterKey key = MasterKey.loadOrCreate(Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE)),
        identityDir.resolve(CloudBundle.KEY_FILE), random);
    SecretBox secrets = new SecretBox(key, random);
    Optional<String> imageId = Optional.empty();
    try (LocalStore store = LocalStore.open(storageData.resolve("store"))) {
      CloudIdentityStore identities = new CloudIdentityStore(store, secrets);
      CloudIdentity identity = identities.loadOrCreate(random);
      // Straight into the store, in the grid's own record format: the controllers load it at start.
      StoreTables grid = new StoreTables(store);
      var caTable = grid.map(CertificateAuthority.MAP_NAME, CaRecord.class);
      CertificateAuthority.loadOrCreate(caTable, secrets, identity.cloudName(), clock, random);
      if (!identity.bootstrapped()) {
        FirstStart.bootstrap(IdentityService.onGrid(grid, secrets, random, clock), new CloudFiles(dir), region);
        identities.save(identity.asBootstrapped());
      }
      if (systemImage.isPresent()) {
        ImageService images = new ImageService(grid.map(ImageService.MAP, Image.class), grid.map(ImageService.NAMES_MAP, ImageName.class),
            GridTagStore.onGrid(grid), new ResourceIds(random), clock);
        imageId = SystemImages.registerTiny(systemImage.get(), new GridBucketRegistry(grid),
            new RocksObjectBackend(store, clock, random), images, region, clock).map(Image::imageId);
      }
      CaRecord ca = CertificateAuthority.storedRecord(caTable).orElseThrow();
      new CloudBundle(identity.cloudName(), ca).write(identityDir);
      new CloudFiles(dir).writeCaCertificate(ca.certificatePem());
    }
    return imageId;
  }

  /** Where a cloud's folder keeps the identity every process is handed. */
  public static Path identityDir(Path dir) {
    return dir.resolve("identity");
  }
}
