package dev.canopy.deploy.cluster;

import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.core.time.SystemTime;
import dev.canopy.deploy.process.CloudFiles;
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
    Path identityDir = CloudInit.identityDir(dir);
    if (CloudBundle.exists(identityDir)) {
      System.err.println("canopy init: " + identityDir + " already holds a cloud's identity; nothing done");
      return 1;
    }
    Path storage = storageData == null ? dir.resolve("storage-1") : storageData;
    Optional<Path> image = Optional.ofNullable(systemImage)
        .or(() -> Optional.ofNullable(System.getenv("CANOPY_TINY_IMAGE")).map(Path::of));
    Optional<String> imageId = CloudInit.create(dir, storage, region, image, SystemTime.INSTANCE, new SecureRandom());
    if (image.isPresent()) {
      System.out.println("canopy init: system image " + SystemImages.NAME + " " + imageId.orElse("not found in " + image.get()));
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
