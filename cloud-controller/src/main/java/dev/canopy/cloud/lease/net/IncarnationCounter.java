package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.Ballot;
import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The 16-bit incarnation in every ballot (PAXOSLEASE.md, "Ballots"): read, incremented and
 * written durably once per process start, which is the lease's only disk write and never on the
 * protocol path. Written to a temporary file, fsynced, renamed over the counter and the directory
 * fsynced, so a crash leaves the old value or the new one, never a torn file. Counts 1..65535 and
 * wraps to 1 (ballots must be unique, not ordered across restarts; 65,535 restarts within one
 * quarantine are not a concern).
 *
 * <p>Not safe against two processes starting on one data directory at once; a controller holds
 * its data directory alone.
 */
public final class IncarnationCounter {

  public static final String FILE_NAME = "lease-incarnation";
  static final String TEMP_NAME = FILE_NAME + ".tmp";

  private IncarnationCounter() {}

  /**
   * Returns this start's incarnation and stores it before returning.
   *
   * @throws IOException when the directory cannot be written
   * @throws IllegalStateException when the stored counter is unreadable: guessing could reuse an
   *     incarnation and so a ballot, so an operator must look (the file holds one decimal number)
   */
  public static int next(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path counter = dataDir.resolve(FILE_NAME);
    int previous = read(counter);
    int next = previous >= Ballot.INCARNATION_MAX ? 1 : previous + 1;
    write(dataDir, counter, next);
    return next;
  }

  /** 0 when no process has started here yet. */
  static int read(Path counter) throws IOException {
    String text;
    try {
      text = Files.readString(counter, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return 0;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 0 && value <= Ballot.INCARNATION_MAX) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalStateException("the lease incarnation file " + counter + " holds '" + abbreviate(text)
        + "', not a number in 0.." + Ballot.INCARNATION_MAX + "; fix or remove it only after checking that no other"
        + " process of this controller ran within the last lease quarantine");
  }

  /** Temp file, fsync, atomic rename, directory fsync: a crash leaves the old value or the new one. */
  private static void write(Path dataDir, Path counter, int value) throws IOException {
    DurableFiles.write(counter, dataDir.resolve(TEMP_NAME), (value + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static String abbreviate(String text) {
    return text.length() <= 20 ? text : text.substring(0, 20) + "...";
  }
}
