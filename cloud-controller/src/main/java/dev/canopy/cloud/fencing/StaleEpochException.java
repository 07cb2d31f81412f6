package dev.canopy.cloud.fencing;

import dev.canopy.api.error.Unavailable;

/**
 * A fenced write was refused: the entry was last written by a holder with a newer epoch, so the
 * writer is no longer (or never was) the holder whose word counts. Nothing was written. The
 * writer should stop acting as holder; if it still holds the lease (a full restart of every
 * controller can leave the epoch record behind the entries), it mints above {@link
 * #entryEpoch()} before writing again. Clients get 503 ({@link Unavailable}): the holder can serve them.
 */
public final class StaleEpochException extends RuntimeException implements Unavailable {

  private final String key;
  private final long writerEpoch;
  private final long entryEpoch;

  StaleEpochException(String map, String key, long writerEpoch, long entryEpoch) {
    super("fenced write to " + map + "/" + key + " with epoch " + writerEpoch
        + " refused: the entry was written with epoch " + entryEpoch);
    this.key = key;
    this.writerEpoch = writerEpoch;
    this.entryEpoch = entryEpoch;
  }

  public String key() {
    return key;
  }

  public long writerEpoch() {
    return writerEpoch;
  }

  /** The epoch of the entry's last writer: the floor for the next mint. */
  public long entryEpoch() {
    return entryEpoch;
  }
}
