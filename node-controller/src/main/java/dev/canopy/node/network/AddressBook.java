package dev.canopy.node.network;

import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which private address each instance on this node has. The system of record is dnsmasq's
 * {@code dhcp-hostsdir}: one file per instance, named by its id, holding {@code mac,ip}. So the
 * assignment that DHCP hands out and the one the agent reports can never differ, and an agent
 * restart re-reads both from the same place.
 *
 * <p>Addresses are handed out next-fit, cycling through the subnet from where the last one was
 * taken, not lowest-free: dnsmasq keeps a terminated instance's lease for its lifetime and will
 * not give that address to another MAC meanwhile, so quick reuse would leave a new guest on a
 * different address than the one reported and pinned in its filter. The cursor survives restarts
 * in a dotfile, which dnsmasq ignores.
 *
 * <p>Thread-safe: assignments are serialised, and each file is written to a temporary name and
 * renamed, so dnsmasq never reads half a line.
 */
public final class AddressBook {

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");
  /** Bounds the directory scan; a /16 holds fewer instances than this. */
  private static final int ENTRIES_MAX = 70_000;

  private final Path dir;
  private final Subnet subnet;
  private final Function<String, Set<Long>> leasedToOthers;
  private final Map<String, Entry> byInstance = new HashMap<>();
  /** The address after the one handed out last. */
  private long next;

  record Entry(String mac, long address) {}

  private static final String CURSOR = ".next-address";

  private AddressBook(Path dir, Subnet subnet, Function<String, Set<Long>> leasedToOthers) {
    this.dir = dir;
    this.subnet = subnet;
    this.leasedToOthers = leasedToOthers;
    this.next = subnet.firstGuest();
  }

  /** Opens (creating) the directory and reads the assignments already there. */
  public static AddressBook open(Path dir, Subnet subnet) throws IOException {
    return open(dir, subnet, mac -> Set.of());
  }

  /**
   * @param leasedToOthers the addresses dnsmasq has leased to MACs other than the given one
   *     (a lease outlives its instance, and dnsmasq will not hand its address to another MAC)
   */
  public static AddressBook open(Path dir, Subnet subnet, Function<String, Set<Long>> leasedToOthers) throws IOException {
    Files.createDirectories(dir);
    // dnsmasq runs as an unprivileged user and must read these files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    AddressBook book = new AddressBook(dir, subnet, leasedToOthers);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.equals(CURSOR)) {
          book.next = readCursor(file, subnet);
          continue;
        }
        if (name.startsWith(".")) {
          Files.deleteIfExists(file); // a temporary file from a write that did not finish
          continue;
        }
        if (!INSTANCE_ID.matcher(name).matches() || book.byInstance.size() >= ENTRIES_MAX) {
          continue;
        }
        parse(Files.readString(file, StandardCharsets.US_ASCII)).ifPresent(e -> book.byInstance.put(name, e));
      }
    }
    return book;
  }

  /** The instance's address, assigning the lowest free one on first call; the same on every later call. */
  public synchronized String assign(String instanceId, String mac) throws IOException {
    requireInstanceId(instanceId);
    Entry existing = byInstance.get(instanceId);
    if (existing != null && existing.mac().equals(mac)) {
      return Subnet.format(existing.address());
    }
    Set<Long> used = new HashSet<>(leasedToOthers.apply(mac));
    byInstance.forEach((id, e) -> {
      if (!id.equals(instanceId)) {
        used.add(e.address());
      }
    });
    long chosen = existing != null && !used.contains(existing.address()) ? existing.address() : -1;
    long span = subnet.lastGuest() - subnet.firstGuest() + 1;
    for (long i = 0; chosen < 0 && i < span; i++) {
      long a = subnet.firstGuest() + Math.floorMod(next - subnet.firstGuest() + i, span);
      if (!used.contains(a)) {
        chosen = a;
      }
    }
    if (chosen < 0) {
      throw new IOException("no free address left in " + Subnet.format(subnet.network()) + "/" + subnet.prefixLength());
    }
    write(instanceId, new Entry(mac, chosen));
    next = chosen + 1 > subnet.lastGuest() ? subnet.firstGuest() : chosen + 1;
    DurableFiles.write(dir.resolve(CURSOR), dir.resolve(CURSOR + ".tmp"), (Subnet.format(next) + "\n").getBytes(StandardCharsets.US_ASCII));
    return Subnet.format(chosen);
  }

  public synchronized Optional<String> addressOf(String instanceId) {
    Entry e = byInstance.get(instanceId);
    return e == null ? Optional.empty() : Optional.of(Subnet.format(e.address()));
  }

  /** Frees the instance's address; nothing assigned is fine. */
  public synchronized void release(String instanceId) throws IOException {
    requireInstanceId(instanceId);
    try {
      Files.delete(dir.resolve(instanceId));
    } catch (NoSuchFileException e) {
      // Already released.
    }
    byInstance.remove(instanceId);
  }

  private void write(String instanceId, Entry entry) throws IOException {
    // dnsmasq (another user) reads the entry; the temp's leading dot keeps it from reading a half-written one.
    byte[] line = (entry.mac() + "," + Subnet.format(entry.address()) + "\n").getBytes(StandardCharsets.US_ASCII);
    DurableFiles.write(dir.resolve(instanceId), dir.resolve("." + instanceId + ".tmp"), out -> out.write(line), WORLD_READABLE);
    byInstance.put(instanceId, entry);
  }

  private static long readCursor(Path file, Subnet subnet) throws IOException {
    try {
      long a = Subnet.address(Files.readString(file, StandardCharsets.US_ASCII).trim());
      return a >= subnet.firstGuest() && a <= subnet.lastGuest() ? a : subnet.firstGuest();
    } catch (IllegalArgumentException e) {
      return subnet.firstGuest();
    }
  }

  private static Optional<Entry> parse(String line) {
    String[] parts = line.trim().split(",");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Entry(parts[0], Subnet.address(parts[1])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void requireInstanceId(String id) {
    if (id == null || !INSTANCE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not an instance id: " + id);
    }
  }
}
