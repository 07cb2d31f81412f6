package dev.canopy.cloud.eventsapi;

import dev.canopy.cloud.events.DomainEvent;
import dev.canopy.cloud.events.EventJournal;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's reader of the event log for all its open streams: while any stream is open it
 * reads the log's new events from the grid every {@link #POLL_EVERY} (one read however many streams)
 * and keeps the newest {@value #RECENT_MAX} in memory, from which each stream takes what its
 * audience sees; a stream further behind reads the log itself until it catches up. Sample notices
 * from the grid's topic are handed to every stream. Thread-safe.
 */
public final class EventFeed {

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  static final Duration POLL_EVERY = Duration.ofMillis(500);
  static final int RECENT_MAX = 2_048;
  private static final int READ_PER_POLL = 500;

  /** An open stream, told after each poll and at each sample notice. */
  interface Listener {
    void polled();

    void sample(SampleNotices.Notice notice);
  }

  private final Vertx vertx;
  private final EventJournal journal;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<DomainEvent> recent = new ArrayDeque<>();
  /** The last sequence read into {@link #recent}; -1 while not polling. */
  private long cursor = -1;
  private boolean reading;
  private long timer = -1;

  public EventFeed(Vertx vertx, EventJournal journal, SampleNotices notices) {
    this.vertx = vertx;
    this.journal = journal;
    if (notices != null) {
      notices.listen(notice -> listeners.forEach(listener -> listener.sample(notice)));
    }
  }

  EventJournal journal() {
    return journal;
  }

  synchronized void add(Listener listener) {
    listeners.add(listener);
    if (timer < 0) {
      timer = vertx.setPeriodic(POLL_EVERY.toMillis(), id -> poll());
    }
  }

  synchronized void remove(Listener listener) {
    listeners.remove(listener);
    if (listeners.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      cursor = -1;
      recent.clear();
    }
  }

  int open() {
    return listeners.size();
  }

  /**
   * The events after {@code after} this feed holds, oldest first; null when it does not reach back
   * that far (or has not read yet): the caller reads the log itself.
   */
  synchronized List<DomainEvent> since(long after) {
    if (cursor < 0) {
      return null;
    }
    long firstHeld = recent.isEmpty() ? cursor + 1 : recent.peekFirst().seq();
    if (after < firstHeld - 1) {
      return null;
    }
    return recent.stream().filter(e -> e.seq() > after).toList();
  }

  private void poll() {
    long from;
    synchronized (this) {
      if (reading || timer < 0) {
        return;
      }
      reading = true;
      from = cursor;
    }
    vertx.executeBlocking(() -> from < 0 ? new EventJournal.Page(List.of(), journal.lastSeq()) : journal.read(from, READ_PER_POLL, null, true), false)
        .onComplete(read -> {
          synchronized (this) {
            reading = false;
            if (read.failed()) {
              LOG.debug("the event feed could not read the log: {}", read.cause().toString());
              return;
            }
            if (timer < 0) {
              return;
            }
            recent.addAll(read.result().events());
            while (recent.size() > RECENT_MAX) {
              recent.pollFirst();
            }
            cursor = read.result().last();
          }
          listeners.forEach(Listener::polled);
        });
  }
}
