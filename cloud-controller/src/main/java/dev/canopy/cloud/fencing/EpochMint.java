package dev.canopy.cloud.fencing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.core.time.Time;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Mints fencing epochs: one record in the durable grid map {@value #MAP}, raised by one atomic
 * entry operation per fresh lease acquisition (PAXOSLEASE.md, "Fencing"). The map is written
 * through to the owner's store before the mint returns, reaches ⌊controllers/2⌋ synchronous
 * backups, is loaded eagerly at start, and refuses a member without a majority.
 *
 * <p>Each controller has its own store, and Hazelcast's map store writes only the owner's, so
 * the backups here also write the epoch to their own stores: every mint is on a majority of
 * disks before it returns. After a full restart the epoch Hazelcast loaded may come from a store
 * that missed the last mints, so a mint (and {@link #current()}) first reads every member's
 * store ({@link StoredEpochs}) and starts from the highest.
 *
 * <p>Construct it once this member's cluster has a majority: the map loads from the stores when
 * first opened, and a minority is refused that too. Thread safe; one per controller.
 */
public final class EpochMint {

  public static final String MAP = "fencing-epoch";
  public static final String KEY = "epoch";

  private final IMap<String, String> epochs;
  private final IExecutorService members;
  private final Time time;

  /**
   * @param time bounds the wait for every member's stored epoch
   * @throws NoMajorityException when this member's cluster lacks a majority
   */
  public EpochMint(Grid grid, Time time) {
    this.epochs = Majority.require("opening the epoch map", () -> grid.entries(MAP));
    this.members = grid.executor(MAP);
    this.time = time;
  }

  /**
   * Raises the epoch to {@code max(current, stored, floor) + 1} and returns it. Blocking: two grid
   * round trips (the stores, then the entry) plus a durable write on a majority of members.
   *
   * @param floor the highest epoch a node agent reported when it refused this controller (0 when
   *     none did): after a full restart the record may be behind what agents have seen, and a
   *     holder that minted below them would be refused forever
   * @throws NoMajorityException when this member's cluster lacks a majority; nothing was minted
   * @throws com.hazelcast.core.IndeterminateOperationStateException when the backups did not
   *     acknowledge in time: the epoch may or may not have been raised, so mint again (epochs may
   *     skip numbers, never repeat)
   */
  public long mint(long floor) {
    if (floor < 0) {
      throw new IllegalArgumentException("floor must not be negative: " + floor);
    }
    long start = Math.max(floor, StoredEpochs.highest(members, time));
    return Majority.require("mint", () -> epochs.executeOnKey(KEY, new Mint(start)));
  }

  /**
   * Wraps a holder's epoch for fenced writes: the write is refused ({@link StaleEpochException})
   * when the grid already holds a newer epoch, so a stale holder cannot write even an entry that
   * no newer holder has touched yet. One grid read per write; the per-entry check in {@link
   * FencedTable} still covers a mint that lands between this read and the write.
   */
  public LongSupplier fence(LongSupplier writerEpoch) {
    return () -> {
      long epoch = writerEpoch.getAsLong();
      long newest = latest();
      if (newest > epoch) {
        throw new StaleEpochException(MAP, KEY, epoch, newest);
      }
      return epoch;
    };
  }

  /** The epoch in the grid map (one read, no member scan), 0 before the first mint. */
  public long latest() {
    String inGrid = Majority.require("reading the epoch", () -> epochs.get(KEY));
    return inGrid == null ? 0 : FencedEnvelope.epochOf(inGrid);
  }

  /** The last epoch minted, 0 before the first. */
  public long current() {
    String inGrid = Majority.require("reading the epoch", () -> epochs.get(KEY));
    long loaded = inGrid == null ? 0 : FencedEnvelope.epochOf(inGrid);
    return Math.max(loaded, StoredEpochs.highest(members, time));
  }

  /**
   * Runs on the key's owner, whose map store writes the result through. Overflow throws rather
   * than wrapping to a lower epoch.
   */
  static final class Mint implements EntryProcessor<String, String, Long> {
    private final long floor;
    /** What {@link #process} minted, handed to the backups so every copy holds exactly it. */
    private long minted;

    Mint(long floor) {
      this.floor = floor;
    }

    @Override
    public Long process(Map.Entry<String, String> entry) {
      long previous = entry.getValue() == null ? 0 : FencedEnvelope.epochOf(entry.getValue());
      minted = Math.addExact(Math.max(previous, floor), 1);
      entry.setValue(FencedEnvelope.epochRecord(minted));
      return minted;
    }

    /** Hazelcast asks for it after {@link #process} has run on the owner. */
    @Override
    public EntryProcessor<String, String, Long> getBackupProcessor() {
      return new StoreOnBackup(minted);
    }
  }

  /**
   * Runs on each synchronous backup before the mint returns: sets the minted epoch and writes it
   * to this member's own store, which Hazelcast's map store would not do for a backup.
   */
  static final class StoreOnBackup implements EntryProcessor<String, String, Long>, HazelcastInstanceAware {
    private final long minted;
    private transient HazelcastInstance member;

    StoreOnBackup(long minted) {
      this.minted = minted;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
      this.member = member;
    }

    @Override
    public Long process(Map.Entry<String, String> entry) {
      String record = FencedEnvelope.epochRecord(minted);
      entry.setValue(record);
      Grid.localStore(member).ifPresent(store -> store.put(MAP, KEY, record.getBytes(StandardCharsets.UTF_8)));
      return minted;
    }
  }
}
