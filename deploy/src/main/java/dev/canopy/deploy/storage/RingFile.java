package dev.canopy.deploy.storage;

import dev.canopy.core.files.DurableFiles;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replicated store's ring in a storage node's data folder ({@code DATA/kv-ring}): created on
 * the first start from the listed members and written durably; read on every later start, and
 * written again whenever the node adopts a newer ring (bucket properties, gossip).
 *
 * <p>Membership is explicit and durable: a later start with a different list of members is
 * refused rather than silently re-claiming partitions, because the stored ring is what every
 * node's data was placed by (changing it is a join or leave, which moves data by handoff).
 */
public final class RingFile {

  public static final String FILE_NAME = "kv-ring";

  private final Path file;

  public RingFile(Path data) {
    this.file = data.resolve(FILE_NAME);
  }

  public Path path() {
    return file;
  }

  /**
   * The stored ring, or a new one over {@code members} with {@code partitions} partitions, written
   * before it is returned.
   *
   * @param members the members listed on the command line; empty: take the stored ring as it is
   * @throws IllegalStateException when the stored ring's members differ from a non-empty list
   */
  public Ring loadOrCreate(Set<String> members, String self, int partitions) {
    if (Files.isRegularFile(file)) {
      Ring stored = read();
      if (!members.isEmpty() && !new TreeSet<>(stored.members()).equals(new TreeSet<>(members))) {
        throw new IllegalStateException("the ring in " + file + " has the storage nodes " + stored.members()
            + " but --storage-nodes lists " + new TreeSet<>(members) + ": membership is durable and changes by join or leave"
            + " (canopy storage join/leave, not available yet); start with the ring's members, or a new data folder");
      }
      if (!stored.members().contains(self)) {
        throw new IllegalStateException("the ring in " + file + " has the storage nodes " + stored.members()
            + ", not this node (" + self + ")");
      }
      return stored;
    }
    Set<String> initial = members.isEmpty() ? Set.of(self) : members;
    if (!initial.contains(self)) {
      throw new IllegalArgumentException("--storage-nodes must list this node (" + self + "): " + new TreeSet<>(initial));
    }
    List<String> sorted = List.copyOf(new TreeSet<>(initial));
    Ring created = Ring.create(sorted, partitions, BucketProps.defaults(sorted.size()).nVal());
    write(created);
    return created;
  }

  /** Replaces the stored ring, durably (write to a temporary file, sync, rename). */
  public void write(Ring ring) {
    try {
      DurableFiles.write(file, RingCodec.encode(ring));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ring to " + file, e);
    }
  }

  private Ring read() {
    try {
      return RingCodec.decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ring in " + file, e);
    } catch (RuntimeException e) {
      // RingCodec refuses a damaged file with InvalidRequestException (its message says what).
      throw new IllegalStateException("the ring in " + file + " is corrupt: " + e.getMessage(), e);
    }
  }
}
