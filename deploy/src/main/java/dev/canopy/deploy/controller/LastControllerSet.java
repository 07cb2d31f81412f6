package dev.canopy.deploy.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.membership.ControllerSet;
import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The last version of the controller set this controller followed, kept in its data folder
 * ({@code controller-set.json}). The record itself lives in the grid, which a starting controller
 * must first join, and it joins the members it knows of: after joins and leaves its {@code
 * --controllers} may name controllers that are gone and miss ones that came. A restart therefore
 * meets the others of the set it last saw, when that is newer than the command line's.
 */
final class LastControllerSet {

  static final String FILE = "controller-set.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LastControllerSet() {}

  /** What a starting controller dials: the last set it followed if there is one, else its command line. */
  static SortedMap<Integer, String> toStartWith(Path data, SortedMap<Integer, String> configured) {
    return read(data).filter(set -> set.version() > 0).map(ControllerSet::controllers).orElse(configured);
  }

  static Optional<ControllerSet> read(Path data) {
    Path file = data.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ControllerSet.class));
    } catch (IOException | IllegalArgumentException unreadable) {
      // Only a hint for the next start: the grid's record is what counts.
      return Optional.empty();
    }
  }

  static void write(Path data, ControllerSet set) throws IOException {
    DurableFiles.write(data.resolve(FILE), JSON.writeValueAsBytes(set));
  }
}
