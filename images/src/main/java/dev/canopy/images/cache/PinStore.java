package dev.canopy.images.cache;

import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which holders (instances) need which cached objects kept: an overlay's backing file must
 * outlive every eviction. One file per holder, {@code pins/<holder>}, one digest a line, written
 * atomically so a restart finds each holder's pins whole. Not thread-safe: {@link ImageCache}
 * guards it.
 */
final class PinStore {

  /** Holder ids become file names: no separators, no leading dot (so no "..", no temp-name clash). */
  private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final String TMP_PREFIX = ".tmp-";
  /** An instance pins a disk, a kernel and a ramdisk; far more is a caller's bug. */
  static final int DIGESTS_PER_HOLDER_MAX = 16;
  /** Holders are instances on one node; this bounds the startup read. */
  static final int HOLDERS_MAX = 100_000;
  /** A pin file of 16 digests is about 1 KiB. */
  private static final long PIN_FILE_BYTES_MAX = 4096;

  private final Path dir;
  private final Map<String, Set<String>> byHolder = new HashMap<>();

  private PinStore(Path dir) {
    this.dir = dir;
  }

  static boolean isHolderId(String id) {
    return id != null && HOLDER.matcher(id).matches();
  }

  static String requireHolder(String id) {
    if (!isHolderId(id)) {
      throw new IllegalArgumentException("not a valid pin holder id: " + id);
    }
    return id;
  }

  /** Reads every holder's pins, dropping temp files a crash left behind. */
  static PinStore load(Path dir) throws IOException {
    PinStore store = new PinStore(dir);
    int seen = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        if (++seen > HOLDERS_MAX) {
          throw new IOException(dir + " holds more than " + HOLDERS_MAX + " pin files");
        }
        String name = file.getFileName().toString();
        if (name.startsWith(TMP_PREFIX)) {
          Files.deleteIfExists(file);
        } else if (isHolderId(name) && Files.isRegularFile(file)) {
          store.byHolder.put(name, read(file));
        }
      }
    }
    return store;
  }

  private static Set<String> read(Path file) throws IOException {
    if (Files.size(file) > PIN_FILE_BYTES_MAX) {
      throw new IOException(file + " is larger than a pin file can be");
    }
    Set<String> digests = new LinkedHashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      // A line that is not a digest cannot name a cached file, so there is nothing to keep for it.
      if (Sha256.isHex(line.strip())) {
        digests.add(line.strip());
      }
    }
    return digests;
  }

  /** Sets the holder's pins to exactly these digests (a retry with the same set changes nothing). */
  void put(String holder, Collection<String> digests) throws IOException {
    requireHolder(holder);
    Set<String> set = new LinkedHashSet<>();
    for (String d : digests) {
      set.add(Sha256.require(d));
    }
    if (set.size() > DIGESTS_PER_HOLDER_MAX) {
      throw new IllegalArgumentException(holder + " pins " + set.size() + " objects; at most "
          + DIGESTS_PER_HOLDER_MAX + " allowed");
    }
    if (set.equals(byHolder.get(holder))) {
      return;
    }
    String content = set.isEmpty() ? "" : String.join("\n", set) + "\n";
    DurableFiles.write(dir.resolve(holder), dir.resolve(TMP_PREFIX + holder),
        content.getBytes(StandardCharsets.US_ASCII));
    byHolder.put(holder, set);
  }

  /** Drops the holder's pins; a holder with none is fine. */
  void remove(String holder) throws IOException {
    requireHolder(holder);
    DurableFiles.deleteDurably(dir.resolve(holder));
    byHolder.remove(holder);
  }

  /** Every digest some holder pins (computed once per eviction pass, not once per entry). */
  Set<String> pinnedDigests() {
    Set<String> all = new HashSet<>();
    byHolder.values().forEach(all::addAll);
    return all;
  }

  Set<String> pinsOf(String holder) {
    return Set.copyOf(byHolder.getOrDefault(holder, Set.of()));
  }
}
