package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small folder trees for the tool tests to upload, the same bytes on every run. */
final class ToolTrees {

  private ToolTrees() {}

  /** {@code a.txt} and {@code sub/b.bin} (300,000 seeded random bytes). */
  static Path small(Path root) throws IOException {
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("a.txt"), "hello\n");
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    Files.write(root.resolve("sub/b.bin"), data);
    return root;
  }
}
