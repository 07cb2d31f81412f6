package dev.canopy.deploy.dev;

import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.deploy.cluster.CloudInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data folders of the cloud in a box from before it ran as three roles kept the store in
 * {@code DATA/store}, the key in {@code DATA/keys/master.key} and the incarnation counter in
 * {@code DATA/lease-incarnation}. Moving them where the roles look keeps every record; the
 * identity bundle is then written from the store as at a first start.
 */
final class EarlierLayout {

  private static final Logger LOG = LoggerFactory.getLogger(EarlierLayout.class);

  private EarlierLayout() {}

  static void adopt(Path data) throws IOException {
    Path store = data.resolve("store");
    if (!Files.isDirectory(store)) {
      return;
    }
    Files.createDirectories(data.resolve("storage"));
    Files.move(store, data.resolve("storage/store"), StandardCopyOption.ATOMIC_MOVE);
    Path key = data.resolve("keys/master.key");
    if (Files.isRegularFile(key)) {
      Files.createDirectories(CloudInit.identityDir(data));
      Files.move(key, CloudInit.identityDir(data).resolve(CloudBundle.KEY_FILE), StandardCopyOption.ATOMIC_MOVE);
    }
    Path incarnation = data.resolve("lease-incarnation");
    if (Files.isRegularFile(incarnation)) {
      Files.createDirectories(data.resolve("controller"));
      Files.move(incarnation, data.resolve("controller/lease-incarnation"), StandardCopyOption.ATOMIC_MOVE);
    }
    LOG.info("moved {}'s store, master key and lease incarnation to where the storage and controller roles keep them", data);
  }
}
