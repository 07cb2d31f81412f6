package dev.canopy.node.hostmetrics;

import java.io.IOException;

/** Reads one file of {@code /proc} as text; injected, so parsers and the loop are tested on fixtures. */
@FunctionalInterface
public interface ProcFiles {

  String read(String path) throws IOException;

  /** The real host's files. */
  static ProcFiles host() {
    return path -> java.nio.file.Files.readString(java.nio.file.Path.of(path));
  }
}
