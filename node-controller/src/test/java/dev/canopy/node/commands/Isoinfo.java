package dev.canopy.node.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads a file off an ISO image with isoinfo (Debian's genisoimage package), as an operator would. */
final class Isoinfo {

  private Isoinfo() {}

  /** The Rock Ridge file at {@code path} inside {@code iso}. */
  static String file(Path iso, String path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("isoinfo", "-i", iso.toString(), "-R", "-x", path).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("isoinfo failed on " + iso + ": " + out);
    }
    return out;
  }
}
