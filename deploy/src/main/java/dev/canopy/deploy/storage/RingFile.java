package dev.canopy.deploy.storage;

import dev.canopy.core.files.DurableFiles;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated store's ring in a storage node's data folder ({@code DATA/kv-ring}): created on
 * the first start from the listed members (with their addresses) and written durably; read on
 * every later start, and written again whenever the node adopts a newer ring (bucket properties,
 * joins and leaves, gossip).
 *
 * <p>Membership is explicit and durable: after the first start the stored ring is the authority,
 * because it is what every node's data was placed by; a node never re-claims partitions from a
 * command-line list. A later list that differs from a ring changed since it was created (by a
 * join, a leave or bucket properties) is logged and the ring is used; one that differs from a ring
 * never changed (version 1) is refused: that is a mistyped list, or a node started alone that
 * was not joined yet. A ring without this node is refused too: the node left (or the folder is
 * another node's), and it must not serve as a member again.
 */
public final class RingFile {

  private static final Logger LOG = LoggerFactory.getLogger(RingFile.class);
  public static final String FILE_NAME = "kv-ring";

  private final Path file;

  public RingFile(Path data) {
    this.file = data.resolve(FILE_NAME);
  }

  public Path path() {
    return file;
  }

  /**
   * The stored ring with the addresses it lacks taken from {@code members}, or a new one over
   * {@code members} with {@code partitions} partitions, written before it is returned.
   *
   * @param members the members listed on the command line with their addresses; empty: take the
   *     stored ring as it is, or on a first start this node alone
   * @param selfAddress this node's own address, when it starts alone
   * @throws IllegalStateException when the stored ring does not have this node, or differs from a
   *     non-empty list while it was never changed
   */
  public Ring loadOrCreate(SortedMap<String, String> members, String self, String selfAddress, int partitions) {
    if (Files.isRegularFile(file)) {
      Ring stored = read();
      if (!stored.members().contains(self)) {
        throw new IllegalStateException("storage node " + self + " is no longer a member of the replicated store: the ring in "
            + file + " (version " + stored.version() + ") has the storage nodes " + stored.members()
            + "; it left (canopy storage leave), or this data folder is another node's. To serve again it must join,"
            + " started on a new data folder");
      }
      if (!members.isEmpty() && !new TreeSet<>(stored.members()).equals(members.keySet())) {
        if (stored.version() == 1) {
          throw new IllegalStateException("the ring in " + file + " has the storage nodes " + stored.members()
              + " but --storage-nodes lists " + members.keySet() + ": membership is durable and changes only by"
              + " canopy storage join or leave; start with the ring's members (or without --storage-nodes), or a new data folder");
        }
        LOG.warn("--storage-nodes lists {} but the ring in {} (version {}, changed by join, leave or bucket properties) has {}:"
            + " the ring decides membership; the list gives addresses only", members.keySet(), file, stored.version(), stored.members());
      }
      return stored.withAddresses(members);
    }
    SortedMap<String, String> initial = members.isEmpty() ? new TreeMap<>(Map.of(self, selfAddress)) : members;
    if (!initial.containsKey(self)) {
      throw new IllegalArgumentException("--storage-nodes must list this node (" + self + "): " + initial.keySet());
    }
    Ring created = Ring.create(initial, partitions, BucketProps.defaults(initial.size()).nVal());
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
