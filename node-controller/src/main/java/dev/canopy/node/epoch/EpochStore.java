package dev.canopy.node.epoch;

import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The highest leadership epoch this agent has seen, kept in one small file under its data dir.
 *
 * <p>A newer epoch is made durable before it is acted on: written to a temporary file, fsynced,
 * renamed over the old file atomically, and the directory fsynced so the rename itself survives a
 * crash. Were it lost, a restarted agent could obey a deposed leader again. An unreadable file
 * stops the agent (IllegalStateException) rather than resetting to 0, for the same reason.
 *
 * <p>Thread safe: {@link #accept} is serialized, so the persisted value only ever grows.
 */
public final class EpochStore {

  /** The file's name under the data dir. */
  public static final String FILE_NAME = "leadership-epoch";

  private final Path file;
  private final Path temp;
  private long held;

  private EpochStore(Path dir, long held) {
    this.file = dir.resolve(FILE_NAME);
    this.temp = dir.resolve(FILE_NAME + ".tmp");
    this.held = held;
  }

  /** Opens the store in {@code dataDir} (created if missing); a new store holds epoch 0. */
  public static EpochStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      return new EpochStore(dataDir, read(dataDir.resolve(FILE_NAME)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the epoch store in " + dataDir, e);
    }
  }

  /**
   * Whether a command carrying {@code epoch} may run: false when it is older than the newest
   * seen. A newer epoch is persisted before this returns true.
   *
   * @throws UncheckedIOException when a newer epoch cannot be made durable (the command must not run)
   */
  public synchronized boolean accept(long epoch) {
    if (epoch < held) {
      return false;
    }
    if (epoch > held) {
      persist(epoch);
      held = epoch;
    }
    return true;
  }

  /** The newest epoch seen (0 before any). */
  public synchronized long held() {
    return held;
  }

  private void persist(long epoch) {
    byte[] bytes = (Long.toString(epoch) + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      DurableFiles.write(file, temp, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist epoch " + epoch + " to " + file, e);
    }
  }

  private static long read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return 0;
    }
    try {
      long epoch = Long.parseLong(text);
      if (epoch < 0) {
        throw new NumberFormatException("negative");
      }
      return epoch;
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the epoch file " + file + " is corrupt ('" + text
          + "'); refusing to start rather than forget which leader is current", e);
    }
  }
}
