package dev.canopy.cloud.fencing;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.canopy.cloud.grid.Grid;
import java.util.Map;

/**
 * Mints fencing epochs: one record in the durable grid map {@value #MAP}, raised by one atomic
 * entry operation per fresh lease acquisition (PAXOSLEASE.md, "Fencing"). The map is written
 * through to the owner's store before the mint returns, reaches ⌊controllers/2⌋ synchronous
 * backups, is loaded eagerly at start, and refuses a member without a majority.
 *
 * <p>Thread safe; one per controller.
 */
public final class EpochMint {

  public static final String MAP = "fencing-epoch";
  static final String KEY = "epoch";

  private final IMap<String, String> epochs;

  public EpochMint(Grid grid) {
    this.epochs = grid.entries(MAP);
  }

  /**
   * Raises the epoch to {@code max(current, floor) + 1} and returns it. Blocking: one grid round
   * trip plus a durable write.
   *
   * @param floor the highest epoch a node agent reported when it refused this controller (0 when
   *     none did): after a full restart the record may be behind what agents have seen, and a
   *     holder that minted below them would be refused forever
   * @throws NoMajorityException when this member's cluster lacks a majority; nothing was minted
   */
  public long mint(long floor) {
    if (floor < 0) {
      throw new IllegalArgumentException("floor must not be negative: " + floor);
    }
    return Majority.require("mint", () -> epochs.executeOnKey(KEY, new Mint(floor)));
  }

  /** The last epoch minted, 0 before the first. */
  public long current() {
    String stored = Majority.require("reading the epoch", () -> epochs.get(KEY));
    return stored == null ? 0 : FencedEnvelope.epochOf(stored);
  }

  /**
   * Runs on the key's owner, and again on each backup against the same previous value, so every
   * copy agrees. Overflow throws rather than wrapping to a lower epoch.
   */
  static final class Mint implements EntryProcessor<String, String, Long> {
    private final long floor;

    Mint(long floor) {
      this.floor = floor;
    }

    @Override
    public Long process(Map.Entry<String, String> entry) {
      long previous = entry.getValue() == null ? 0 : FencedEnvelope.epochOf(entry.getValue());
      long next = Math.addExact(Math.max(previous, floor), 1);
      entry.setValue(FencedEnvelope.epochRecord(next));
      return next;
    }
  }
}
