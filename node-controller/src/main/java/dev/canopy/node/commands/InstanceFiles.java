package dev.canopy.node.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Per-instance paths under the agent's data dir: {@code instances/<instance-id>/} holding the root
 * disk and the serial console log. Instance ids are checked against EC2's shape before they
 * become paths, so a malformed id can never name a file outside that directory.
 */
public final class InstanceFiles {

  /** EC2 instance ids: {@code i-} and 8 or 17 lowercase hex digits. */
  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");
  /** Far more than an instance dir ever holds; bounds the delete walk. */
  private static final int FILES_PER_INSTANCE_MAX = 1_000;

  private final Path root;

  public InstanceFiles(Path dataDir) {
    this.root = dataDir.resolve("instances");
  }

  public static boolean isInstanceId(String id) {
    return id != null && INSTANCE_ID.matcher(id).matches();
  }

  public Path dir(String instanceId) {
    if (!isInstanceId(instanceId)) {
      throw new IllegalArgumentException("not an instance id: " + instanceId);
    }
    return root.resolve(instanceId);
  }

  public Path rootDisk(String instanceId) {
    return dir(instanceId).resolve("root.img");
  }

  public Path consoleLog(String instanceId) {
    return dir(instanceId).resolve("console.log");
  }

  /** Creates the instance's directory. */
  public Path create(String instanceId) throws IOException {
    return Files.createDirectories(dir(instanceId));
  }

  /** Removes the instance's directory and everything in it; nothing there is fine. */
  public void delete(String instanceId) throws IOException {
    Path dir = dir(instanceId);
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.limit(FILES_PER_INSTANCE_MAX + 1L).sorted(Comparator.reverseOrder()).toList();
    }
    if (paths.size() > FILES_PER_INSTANCE_MAX) {
      throw new IOException(dir + " holds more than " + FILES_PER_INSTANCE_MAX + " files; refusing to delete it");
    }
    for (Path p : paths) {
      try {
        Files.delete(p);
      } catch (NoSuchFileException e) {
        // Deleted concurrently: the goal is reached.
      }
    }
  }
}
