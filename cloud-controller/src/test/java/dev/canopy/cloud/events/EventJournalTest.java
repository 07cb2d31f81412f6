package dev.canopy.cloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.core.time.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventJournalTest {

  private final ManualTime time = new ManualTime(Instant.parse("2026-12-06T12:00:00Z"));
  private final InMemoryTable<DomainEvent> events = new InMemoryTable<>();
  private final InMemoryTable<JournalHead> head = new InMemoryTable<>();

  private EventJournal journal(EventLimits limits) {
    return new EventJournal(events, head, limits, time);
  }

  @Test
  void sequencesStartAtOneAndAReaderResumesAfterTheLastItSaw() {
    EventJournal journal = journal(EventLimits.DEFAULT);
    for (int i = 0; i < 5; i++) {
      journal.append(EventTypes.ACCOUNT_CREATED, "111111111111", "acct-" + i, Map.of());
    }

    EventJournal.Page first = journal.read(0, 3, null, true);
    assertThat(first.events()).extracting(DomainEvent::seq).containsExactly(1L, 2L, 3L);
    EventJournal.Page rest = journal.read(first.last(), 10, null, true);
    assertThat(rest.events()).extracting(DomainEvent::seq).containsExactly(4L, 5L);
    assertThat(journal.read(rest.last(), 10, null, true).events()).isEmpty();
    assertThat(journal.lastSeq()).isEqualTo(5);
  }

  @Test
  void aTenantReadsOnlyItsOwnAccountsEventsAndNeverTheCloudsOwn() {
    EventJournal journal = journal(EventLimits.DEFAULT);
    journal.append(EventTypes.INSTANCE_STATE, "111111111111", "i-0000000000000001", Map.of("to", "running"));
    journal.append(EventTypes.INSTANCE_STATE, "222222222222", "i-0000000000000002", Map.of("to", "running"));
    journal.append(EventTypes.NODE_LOST, null, "nd-1", Map.of());
    journal.append(EventTypes.KEY_CREATED, "111111111111", "AKIAEXAMPLE", Map.of());

    assertThat(journal.read(0, 100, "111111111111", false).events()).extracting(DomainEvent::subject)
        .containsExactly("i-0000000000000001", "AKIAEXAMPLE");
    assertThat(journal.read(0, 100, "222222222222", false).events()).extracting(DomainEvent::subject)
        .containsExactly("i-0000000000000002");
    assertThat(journal.read(0, 100, "admin", true).events()).hasSize(4);
    // The cursor moves past what the reader may not see, so it is not read again.
    assertThat(journal.read(0, 100, "222222222222", false).last()).isEqualTo(4);
  }

  @Test
  void concurrentAppendersLeaveNoGapAndNoDuplicate() throws Exception {
    EventJournal journal = journal(EventLimits.DEFAULT);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<DomainEvent>> appended = IntStream.range(0, 400)
          .mapToObj(i -> pool.submit(() -> journal.append(EventTypes.NODE_BACK, null, "nd-" + i, Map.of()))).toList();
      for (Future<DomainEvent> f : appended) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<DomainEvent> all = journal.read(0, 1000, null, true).events();
    assertThat(all).extracting(DomainEvent::seq).containsExactlyElementsOf(IntStream.rangeClosed(1, 400).mapToObj(i -> (long) i).toList());
    assertThat(all).extracting(DomainEvent::subject).doesNotHaveDuplicates();
  }

  @Test
  void aStaleHeadHintIsWalkedPastWithoutOverwriting() {
    EventJournal journal = journal(EventLimits.DEFAULT);
    journal.append(EventTypes.NODE_BACK, null, "a", Map.of());
    head.put("head", new JournalHead(1, 1)); // as if the appender died before moving the hint
    DomainEvent second = journal.append(EventTypes.NODE_BACK, null, "b", Map.of());

    assertThat(second.seq()).isEqualTo(2);
    assertThat(journal.read(0, 10, null, true).events()).extracting(DomainEvent::subject).containsExactly("a", "b");
  }

  @Test
  void pruningKeepsTheNewestWithinTheCountBound() {
    EventJournal journal = journal(new EventLimits(3, Duration.ofDays(30)));
    for (int i = 1; i <= 10; i++) {
      journal.append(EventTypes.NODE_BACK, null, "n" + i, Map.of());
    }
    assertThat(journal.prune()).isEqualTo(7);
    assertThat(journal.read(0, 100, null, true).events()).extracting(DomainEvent::seq).containsExactly(8L, 9L, 10L);
    // Appending after a prune continues the sequence.
    assertThat(journal.append(EventTypes.NODE_BACK, null, "n11", Map.of()).seq()).isEqualTo(11);
  }

  @Test
  void pruningDropsEventsOlderThanTheAgeBound() {
    EventJournal journal = journal(new EventLimits(1000, Duration.ofDays(1)));
    journal.append(EventTypes.NODE_BACK, null, "old", Map.of());
    time.advance(Duration.ofHours(20));
    journal.append(EventTypes.NODE_BACK, null, "younger", Map.of());
    time.advance(Duration.ofHours(5));

    assertThat(journal.prune()).isEqualTo(1);
    assertThat(journal.read(0, 100, null, true).events()).extracting(DomainEvent::subject).containsExactly("younger");
    assertThat(journal.prune()).isZero();
  }

  @Test
  void aReaderBehindThePrunedPartStartsAtTheOldestKept() {
    EventJournal journal = journal(new EventLimits(2, Duration.ofDays(30)));
    for (int i = 1; i <= 5; i++) {
      journal.append(EventTypes.NODE_BACK, null, "n" + i, Map.of());
    }
    journal.prune();
    assertThat(journal.read(1, 100, null, true).events()).extracting(DomainEvent::seq).containsExactly(4L, 5L);
  }

  @Test
  void recordingNeverFailsTheCaller() {
    EventJournal journal = journal(EventLimits.DEFAULT);
    events.failWrites(true);
    journal.record(EventTypes.NODE_BACK, null, "n", Map.of());
    events.failWrites(false);
    assertThat(journal.read(0, 10, null, true).events()).isEmpty();
  }

  @Test
  void limitsRefuseNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EventLimits(0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EventLimits(10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
