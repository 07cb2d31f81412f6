package dev.canopy.deploy.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.SystemTime;
import dev.canopy.deploy.cluster.CloudInit;
import dev.canopy.deploy.process.CloudBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder of the cloud in a box from before the three roles keeps its cloud, its keys and its records. */
class EarlierLayoutTest {

  @TempDir
  Path data;

  private final SecureRandom random = new SecureRandom();

  @Test
  void anEarlierFolderIsMovedIntoTheRolesLayoutAndKeepsItsCloudAndKeys() throws Exception {
    // The earlier layout: the store at DATA/store, the key at DATA/keys/master.key, no bundle.
    CloudInit.create(data, data, "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);
    String cloudName = CloudBundle.read(CloudInit.identityDir(data)).cloudName();
    String key = Files.readString(CloudInit.identityDir(data).resolve(CloudBundle.KEY_FILE));
    String adminKey = Files.readString(data.resolve("admin/credentials"));
    Files.createDirectories(data.resolve("keys"));
    Files.move(CloudInit.identityDir(data).resolve(CloudBundle.KEY_FILE), data.resolve("keys/master.key"));
    Files.delete(CloudInit.identityDir(data).resolve(CloudBundle.FILE));
    Files.writeString(data.resolve("lease-incarnation"), "7\n");
    assertThat(CloudBundle.exists(CloudInit.identityDir(data))).isFalse();

    EarlierLayout.adopt(data);
    CloudInit.create(data, data.resolve("storage"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);

    assertThat(data.resolve("store")).doesNotExist();
    assertThat(data.resolve("storage/store")).isDirectory();
    assertThat(data.resolve("controller/lease-incarnation")).hasContent("7");
    assertThat(Files.readString(CloudInit.identityDir(data).resolve(CloudBundle.KEY_FILE))).isEqualTo(key);
    // The same cloud, not a new one: its name comes from the moved store, and the first start's
    // administrator key was not made again.
    assertThat(CloudBundle.read(CloudInit.identityDir(data)).cloudName()).isEqualTo(cloudName);
    assertThat(Files.readString(data.resolve("admin/credentials"))).isEqualTo(adminKey);
  }

  @Test
  void aFolderWithoutAnEarlierStoreIsLeftAsItIs() throws Exception {
    EarlierLayout.adopt(data);
    try (var entries = Files.list(data)) {
      assertThat(entries).isEmpty();
    }
  }
}
