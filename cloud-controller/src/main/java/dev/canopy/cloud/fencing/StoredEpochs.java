package dev.canopy.cloud.fencing;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.core.time.Deadline;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest epoch in any member's own durable store. Each controller has its own store and
 * Hazelcast writes an entry only to the store of the member that owned it at the time, and at a
 * full restart loads it from whichever member owns it then: the epoch loaded may be an old one.
 * Mints are also written to the backups' stores ({@link EpochMint}), so a majority of stores hold
 * the newest epoch, and any majority of members asked here includes one of them.
 */
final class StoredEpochs {

  private static final Logger LOG = LoggerFactory.getLogger(StoredEpochs.class);
  /** A member reads one local record; seconds without an answer means it is dying. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private StoredEpochs() {}

  /**
   * Asks every member. One that does not answer in time is left out: the mint may then come out
   * no higher than an old epoch, which the node agents refuse, and the holder mints again above the
   * epoch they report (PAXOSLEASE.md, "Fencing").
   */
  static long highest(IExecutorService executor, Time time) {
    Map<Member, Future<Long>> answers = executor.submitToAllMembers(new ReadStoredEpoch());
    // One deadline for all members: the answers are awaited in turn, not one timeout each.
    Deadline deadline = Deadline.after(time, ANSWER_TIMEOUT);
    long highest = 0;
    for (Map.Entry<Member, Future<Long>> answer : answers.entrySet()) {
      try {
        highest = Math.max(highest, Futures.awaitTask(answer.getValue(), deadline.remaining(),
            "member " + answer.getKey() + "'s stored fencing epoch"));
      } catch (RuntimeException | TimeoutException e) {
        LOG.warn("member {} did not report its stored fencing epoch; minting without it", answer.getKey(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the stored fencing epochs", e);
      }
    }
    return highest;
  }

  /** Runs on each member: its store's epoch record, 0 when it has none (or no store). */
  static final class ReadStoredEpoch implements Callable<Long>, Serializable, HazelcastInstanceAware {
    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
      this.member = member;
    }

    @Override
    public Long call() {
      return Grid.localStore(member)
          .flatMap(store -> store.get(EpochMint.MAP, EpochMint.KEY))
          .map(bytes -> FencedEnvelope.epochOf(new String(bytes, StandardCharsets.UTF_8)))
          .orElse(0L);
    }
  }
}
