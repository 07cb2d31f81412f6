package dev.canopy.deploy.cluster;

import dev.canopy.cloud.bootstrap.CloudIdentity;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridName;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageName;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.dev.CloudFiles;
import dev.canopy.deploy.dev.ControlServices;
import dev.canopy.deploy.dev.FirstStart;
import dev.canopy.deploy.dev.SystemImages;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy init}: creates a cloud's identity once — master key, CA, grid cluster name,
 * administrator's key and a first tenant — for every process of a multi-process cloud. The
 * control-plane records go straight into the first storage process's store (through a grid
 * member of its own that joins nothing), so the controllers load them at their first start.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create a cloud's identity (master key, CA, admin key, first tenant) for canopy controller and canopy storage.")
public final class InitCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, description = "Folder for identity/, admin/credentials and aws/ (the tenant's CLI profile).")
  Path dir;

  @Option(names = "--storage-data", description = "The storage process's data folder to seed (default: DIR/storage-1).")
  Path storageData;

  @Option(names = "--region", description = "Region written into the tenant's CLI profile (default: ${DEFAULT-VALUE}).", defaultValue = "canopy-1")
  String region;

  @Option(names = "--system-image", description = "Folder of the tiny image (images/tiny/build.sh) to register as canopy-tiny (default: $CANOPY_TINY_IMAGE).")
  Path systemImage;

  @Override
  public Integer call() throws Exception {
    Path identityDir = dir.resolve("identity");
    if (CloudBundle.exists(identityDir)) {
      System.err.println("canopy init: " + identityDir + " already holds a cloud's identity; nothing done");
      return 1;
    }
    Path storage = storageData == null ? dir.resolve("storage-1") : storageData;
    SecureRandom random = new SecureRandom();
    Time clock = SystemTime.INSTANCE;
    Files.createDirectories(identityDir);
    MasterKey key = MasterKey.loadOrCreate(Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE)),
        identityDir.resolve(CloudBundle.KEY_FILE), random);
    SecretBox secrets = new SecretBox(key, random);
    try (LocalStore store = LocalStore.open(storage.resolve("store"))) {
      CloudIdentityStore identities = new CloudIdentityStore(store, secrets);
      CloudIdentity identity = identities.loadOrCreate(random);
      try (Grid grid = Grid.startStandalone(GridName.of(key), "127.0.0.1", 5701, store)) {
        var caTable = grid.map(CertificateAuthority.MAP_NAME, CaRecord.class);
        CertificateAuthority.loadOrCreate(caTable, secrets, identity.cloudName(), clock, random);
        if (!identity.bootstrapped()) {
          FirstStart.bootstrap(ControlServices.identityService(grid, secrets, random, clock), new CloudFiles(dir), region);
          identities.save(identity.asBootstrapped());
        }
        Optional<Path> image = Optional.ofNullable(systemImage)
            .or(() -> Optional.ofNullable(System.getenv("CANOPY_TINY_IMAGE")).map(Path::of));
        if (image.isPresent()) {
          ImageService images = new ImageService(grid.map(ImageService.MAP, Image.class), grid.map(ImageService.NAMES_MAP, ImageName.class),
              GridTagStore.onGrid(grid), new ResourceIds(random), clock);
          var registered = SystemImages.registerTiny(image.get(), new GridBucketRegistry(grid), new RocksObjectBackend(store, clock, random),
              images, region, clock);
          System.out.println("canopy init: system image " + SystemImages.NAME + " "
              + registered.map(Image::imageId).orElse("not found in " + image.get()));
        }
        new CloudBundle(identity.cloudName(), CertificateAuthority.storedRecord(caTable).orElseThrow()).write(identityDir);
      }
    }
    CloudFiles files = new CloudFiles(dir);
    System.out.println("canopy init: cloud " + "created in " + dir.toAbsolutePath());
    System.out.println("canopy init: identity " + identityDir.toAbsolutePath() + " (hand it to every process: --cloud)");
    System.out.println("canopy init: storage data " + storage.toAbsolutePath());
    System.out.println("canopy init: admin key " + files.adminCredentials().toAbsolutePath());
    System.out.println("canopy init: tenant profile " + files.awsCredentials().toAbsolutePath());
    return 0;
  }
}
