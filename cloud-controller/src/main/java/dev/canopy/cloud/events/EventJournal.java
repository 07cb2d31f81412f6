package dev.canopy.cloud.events;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.TableSource;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log in two grid tables: {@value #EVENTS_MAP} holds each event under its sequence
 * (zero-padded, so keys sort as numbers), {@value #HEAD_MAP} the log's first kept sequence and a
 * hint of the next free one. An append claims its sequence with a put-if-absent of the event
 * itself, walking on from the hint past slots taken meanwhile: a slot is claimed only after the one
 * below it, so the log has no gaps and any controller may append. A reader reads the sequences after
 * the last it saw until the first one not written yet.
 */
public final class EventJournal implements EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
  public static final String EVENTS_MAP = "event-log";
  public static final String HEAD_MAP = "event-log-head";
  private static final String HEAD_KEY = "head";
  /** Events one read returns at most. */
  public static final int READ_MAX = 1_000;
  /** Sequences one read looks at at most while filtering for a reader's audience. */
  static final int SCAN_MAX = 5_000;
  /** Sequences read per grid round trip. */
  private static final int BATCH = 200;
  /** Slots an append walks past at most before giving up (each a lost race with another appender). */
  private static final int CLAIM_ATTEMPTS_MAX = 1_000;
  /** Events removed per prune at most, so a prune after a long pause is spread over several passes. */
  static final int PRUNED_PER_PASS_MAX = 10_000;

  private final Table<DomainEvent> events;
  private final Table<JournalHead> head;
  private final EventLimits limits;
  private final InstantSource clock;

  /** What a read found: the events, and the sequence to read after next time. */
  public record Page(List<DomainEvent> events, long last) {}

  public EventJournal(Table<DomainEvent> events, Table<JournalHead> head, EventLimits limits, InstantSource clock) {
    this.events = events;
    this.head = head;
    this.limits = limits;
    this.clock = clock;
  }

  public static EventJournal onGrid(TableSource grid, EventLimits limits, InstantSource clock) {
    return new EventJournal(grid.map(EVENTS_MAP, DomainEvent.class), grid.map(HEAD_MAP, JournalHead.class), limits, clock);
  }

  /** Appends; a failure is logged, never thrown: the change it describes has already happened. */
  @Override
  public void record(String type, String accountId, String subject, Map<String, String> detail) {
    try {
      append(type, accountId, subject, detail);
    } catch (RuntimeException e) {
      LOG.warn("the event log missed a {} event of {}: {}", type, subject, e.toString());
    }
  }

  /** Appends the event and returns it with its sequence. */
  public DomainEvent append(String type, String accountId, String subject, Map<String, String> detail) {
    JournalHead current = currentHead();
    long seq = current.next();
    Instant now = clock.instant();
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS_MAX; attempt++, seq++) {
      DomainEvent event = new DomainEvent(seq, now, type, accountId, subject, detail);
      if (events.putIfAbsent(key(seq), event)) {
        advanceHint(seq + 1);
        return event;
      }
    }
    throw new IllegalStateException("no free slot of the event log after " + CLAIM_ATTEMPTS_MAX + " attempts");
  }

  /** The sequence of the newest event written (0 when none): a reader that wants only new events starts after it. */
  public long lastSeq() {
    long seq = currentHead().next() - 1;
    // The hint may lag a crashed appender: walk on to the real end.
    while (events.get(key(seq + 1)).isPresent()) {
      seq++;
    }
    return seq;
  }

  /**
   * Up to {@code limit} events after {@code after} that {@code reader} may see, oldest first. A
   * cursor older than the log's first kept event starts at that one (the rest were pruned).
   */
  public Page read(long after, int limit, String readerAccountId, boolean operator) {
    int wanted = Math.max(1, Math.min(limit, READ_MAX));
    long cursor = Math.max(after, currentHead().first() - 1);
    List<DomainEvent> found = new ArrayList<>();
    long scanned = 0;
    while (found.size() < wanted && scanned < SCAN_MAX) {
      long from = cursor + 1;
      List<String> keys = LongStream.range(from, from + BATCH).mapToObj(EventJournal::key).toList();
      Map<String, DomainEvent> batch = events.getAll(keys);
      boolean end = false;
      for (long seq = from; seq < from + BATCH; seq++) {
        DomainEvent event = batch.get(key(seq));
        if (event == null) {
          end = true;
          break;
        }
        cursor = seq;
        scanned++;
        if (event.visibleTo(readerAccountId, operator)) {
          found.add(event);
          if (found.size() == wanted) {
            break;
          }
        }
      }
      if (end) {
        break;
      }
    }
    return new Page(List.copyOf(found), cursor);
  }

  /**
   * Removes the oldest events beyond the limits (count, then age), at most {@value
   * #PRUNED_PER_PASS_MAX} a call. Safe on any controller and concurrently: removals are idempotent
   * and the head's first sequence only moves forward.
   *
   * @return how many were removed
   */
  public int prune() {
    JournalHead current = currentHead();
    long end = lastSeq();
    long first = current.first();
    Instant oldestKept = clock.instant().minus(limits.age());
    int removed = 0;
    while (first <= end && removed < PRUNED_PER_PASS_MAX) {
      boolean tooMany = end - first + 1 > limits.events();
      if (!tooMany) {
        Optional<DomainEvent> oldest = events.get(key(first));
        if (oldest.isPresent() && !oldest.get().time().isBefore(oldestKept)) {
          break;
        }
      }
      events.remove(key(first));
      first++;
      removed++;
    }
    if (removed > 0) {
      long newFirst = first;
      updateHead(h -> new JournalHead(Math.max(h.first(), newFirst), Math.max(h.next(), newFirst)));
    }
    return removed;
  }

  private JournalHead currentHead() {
    return head.get(HEAD_KEY).orElse(JournalHead.EMPTY);
  }

  private void advanceHint(long next) {
    try {
      updateHead(h -> h.next() >= next ? h : new JournalHead(h.first(), next));
    } catch (RuntimeException e) {
      // Only a hint: the next appender walks past the slot this one took.
      LOG.debug("the event log's head hint was not moved: {}", e.toString());
    }
  }

  private void updateHead(java.util.function.UnaryOperator<JournalHead> change) {
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS_MAX; attempt++) {
      Optional<JournalHead> current = head.get(HEAD_KEY);
      JournalHead next = change.apply(current.orElse(JournalHead.EMPTY));
      if (current.isPresent() ? next.equals(current.get()) || head.replace(HEAD_KEY, current.get(), next)
          : head.putIfAbsent(HEAD_KEY, next)) {
        return;
      }
    }
    throw new IllegalStateException("the event log's head was not updated: too much contention");
  }

  static String key(long seq) {
    return String.format("%019d", seq);
  }
}
