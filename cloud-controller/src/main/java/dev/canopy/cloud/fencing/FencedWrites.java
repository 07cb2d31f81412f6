package dev.canopy.cloud.fencing;

import com.hazelcast.map.EntryProcessor;
import java.io.Serializable;
import java.util.Map;

/**
 * The entry processors behind {@link FencedTable}: each runs atomically on the member that owns
 * the key (and again, identically, on its backups), so checking the entry's epoch and writing it
 * are one step no other writer can come between.
 *
 * <p>They travel between members by Java serialization and hold nothing but strings and longs:
 * no mapper, no grid, no lambda. A writer whose epoch is below the entry's is refused and the
 * entry is left as it was; an equal epoch is the same holder writing again.
 */
final class FencedWrites {

  private FencedWrites() {}

  enum Kind {
    WRITTEN,
    /** The entry was absent, present, or held another record than the caller expected. */
    MISMATCH,
    /** The entry was written by a newer holder; {@code entryEpoch} says which. */
    STALE
  }

  record Outcome(Kind kind, long entryEpoch) implements Serializable {
    static final Outcome WRITTEN = new Outcome(Kind.WRITTEN, -1);
    static final Outcome MISMATCH = new Outcome(Kind.MISMATCH, -1);

    static Outcome stale(long entryEpoch) {
      return new Outcome(Kind.STALE, entryEpoch);
    }
  }

  /** Null when the writer may overwrite the entry, else the refusal. */
  private static Outcome refusal(String stored, long writerEpoch) {
    if (stored == null) {
      return null;
    }
    long entryEpoch = FencedEnvelope.epochOf(stored);
    return writerEpoch < entryEpoch ? Outcome.stale(entryEpoch) : null;
  }

  static final class Put implements EntryProcessor<String, String, Outcome> {
    private final String valueJson;
    private final long epoch;

    Put(String valueJson, long epoch) {
      this.valueJson = valueJson;
      this.epoch = epoch;
    }

    @Override
    public Outcome process(Map.Entry<String, String> entry) {
      Outcome refused = refusal(entry.getValue(), epoch);
      if (refused != null) {
        return refused;
      }
      entry.setValue(FencedEnvelope.wrap(epoch, valueJson));
      return Outcome.WRITTEN;
    }
  }

  /** A present entry is reported as stale before as present: the writer must step down first. */
  static final class PutIfAbsent implements EntryProcessor<String, String, Outcome> {
    private final String valueJson;
    private final long epoch;

    PutIfAbsent(String valueJson, long epoch) {
      this.valueJson = valueJson;
      this.epoch = epoch;
    }

    @Override
    public Outcome process(Map.Entry<String, String> entry) {
      String stored = entry.getValue();
      if (stored != null) {
        Outcome refused = refusal(stored, epoch);
        return refused != null ? refused : Outcome.MISMATCH;
      }
      entry.setValue(FencedEnvelope.wrap(epoch, valueJson));
      return Outcome.WRITTEN;
    }
  }

  /** Compare-and-set on the record (not on the epoch): {@code Tables.update} loops on it. */
  static final class Replace implements EntryProcessor<String, String, Outcome> {
    private final String expectedJson;
    private final String valueJson;
    private final long epoch;

    Replace(String expectedJson, String valueJson, long epoch) {
      this.expectedJson = expectedJson;
      this.valueJson = valueJson;
      this.epoch = epoch;
    }

    @Override
    public Outcome process(Map.Entry<String, String> entry) {
      String stored = entry.getValue();
      if (stored == null) {
        return Outcome.MISMATCH;
      }
      Outcome refused = refusal(stored, epoch);
      if (refused != null) {
        return refused;
      }
      if (!FencedEnvelope.sameValue(stored, expectedJson)) {
        return Outcome.MISMATCH;
      }
      entry.setValue(FencedEnvelope.wrap(epoch, valueJson));
      return Outcome.WRITTEN;
    }
  }

  /**
   * Deletes the entry, and with it its epoch: a stale holder could then create the key again. The
   * node agents' own epoch check is what stops such a holder from acting on it.
   */
  static final class Remove implements EntryProcessor<String, String, Outcome> {
    private final long epoch;

    Remove(long epoch) {
      this.epoch = epoch;
    }

    @Override
    public Outcome process(Map.Entry<String, String> entry) {
      String stored = entry.getValue();
      if (stored == null) {
        return Outcome.WRITTEN;
      }
      Outcome refused = refusal(stored, epoch);
      if (refused != null) {
        return refused;
      }
      entry.setValue(null);
      return Outcome.WRITTEN;
    }
  }
}
