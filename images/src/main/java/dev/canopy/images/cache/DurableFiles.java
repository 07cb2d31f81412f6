package dev.canopy.images.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Renames and small writes that survive a crash whole or not at all (the node agent's metering
 * queue uses them too).
 */
public final class DurableFiles {

  private DurableFiles() {}

  /** Renames {@code from} over {@code to} (same file system) and syncs the directory entry. */
  public static void moveAtomically(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(to.getParent());
  }

  /** Writes {@code content} to {@code tmp}, syncs it, then renames it over {@code target}. */
  public static void writeAtomically(Path target, Path tmp, byte[] content) throws IOException {
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    moveAtomically(tmp, target);
  }

  /** Deletes and syncs the directory, so a deleted pin stays deleted after a crash. */
  public static void deleteDurably(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(file.getParent());
    }
  }

  /** Linux lets a directory be opened read-only and fsynced; that makes a rename durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
