package dev.canopy.core.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The one durable, atomic file write: the content goes to a temporary file in the target's
 * directory, is fsynced, renamed over the target in one step, and the directory is fsynced so the
 * rename itself survives a crash. A reader (or a restart after a crash) sees the old content or
 * the new, whole, never a mix; a failed write leaves the old file and no temporary one.
 *
 * <p>Linux only in what it promises: a directory opened read-only can be fsynced there.
 */
public final class DurableFiles {

  /** Owner read and write only: for keys, credentials and anything else secret. */
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private DurableFiles() {}

  /** Writes the content somewhere; may fail, which leaves the old file in place. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Replaces {@code target} with {@code content}, through {@code target}'s name plus {@code .tmp}. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, defaultTemp(target), out -> out.write(content), null);
  }

  /** As {@link #write(Path, byte[])}, the file readable and writable by its owner only, from its creation on. */
  public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
    write(target, defaultTemp(target), out -> out.write(content), OWNER_ONLY);
  }

  /** {@link #write(Path, byte[])} of text in UTF-8. */
  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #writeOwnerOnly(Path, byte[])} of text in UTF-8: credentials files, keys in PEM. */
  public static void writeOwnerOnly(Path target, String text) throws IOException {
    writeOwnerOnly(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Replaces {@code target} with {@code content} through the temporary file {@code temp}, which
   * must be in the same directory (a rename is atomic only within one file system).
   */
  public static void write(Path target, Path temp, byte[] content) throws IOException {
    write(target, temp, out -> out.write(content), null);
  }

  /**
   * The general form.
   *
   * @param temp a name in {@code target}'s directory that readers of the directory skip (a
   *     leftover from a crash is replaced by the next write)
   * @param mode the file's exact permissions, set on the temporary file before any byte is written
   *     (so a secret is never readable by others, even briefly); null for the process's default
   */
  public static void write(Path target, Path temp, Content content, Set<PosixFilePermission> mode) throws IOException {
    Path dir = directoryOf(target);
    if (!dir.equals(directoryOf(temp))) {
      throw new IllegalArgumentException("the temporary file " + temp + " must be in " + dir + ", the directory of " + target);
    }
    Objects.requireNonNull(content, "content");
    Files.createDirectories(dir);
    // A leftover (a crash mid-write) is removed rather than reused: it may have another mode.
    Files.deleteIfExists(temp);
    try {
      if (mode != null) {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(mode));
        // The umask may have taken bits off at creation; the mode asked for is exact.
        Files.setPosixFilePermissions(temp, mode);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(channel);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      moveAtomically(temp, target);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Renames {@code from} over {@code to} (same file system) and syncs the directory entry. */
  public static void moveAtomically(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(directoryOf(to));
  }

  /** Deletes and syncs the directory, so a deleted file stays deleted after a crash. */
  public static void deleteDurably(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(directoryOf(file));
    }
  }

  /** Linux lets a directory be opened read-only and fsynced; that makes a rename or delete durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static Path defaultTemp(Path target) {
    return target.resolveSibling(target.getFileName() + ".tmp");
  }

  private static Path directoryOf(Path file) {
    return file.toAbsolutePath().normalize().getParent();
  }
}
