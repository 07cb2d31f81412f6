package dev.canopy.cloud.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher groups what arrives while a pass runs into the next pass, answers each caller with
 * its own answer, and never leaves a caller waiting when a pass fails. The first pass is held on a
 * latch so the batches are fixed by the test, not by timing.
 */
class PlacementBatcherTest {

  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstPassMayEnd = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    callers.shutdownNow();
    assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Answers each request with ten times itself; the first pass waits for the latch. */
  private List<Integer> pass(List<Integer> requests) {
    batches.add(List.copyOf(requests));
    if (batches.size() == 1) {
      try {
        assertThat(firstPassMayEnd.await(30, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    return requests.stream().map(r -> r * 10).toList();
  }

  /** Requests 2..6 from their own threads once the first pass holds, returned when all five wait. */
  private List<Future<Integer>> submitTwoToSixWhileTheFirstPassRuns(PlacementBatcher<Integer, Integer> batcher) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> batches.size() == 1);
    List<Future<Integer>> later = new ArrayList<>();
    for (int r = 2; r <= 6; r++) {
      int request = r;
      later.add(callers.submit(() -> batcher.submit(request)));
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> batcher.waiting() == 5);
    return later;
  }

  @Test
  void aLoneRequestIsDecidedAtOnceInItsOwnPass() {
    PlacementBatcher<Integer, Integer> batcher = new PlacementBatcher<>(r -> r.stream().map(x -> x + 1).toList(), 8);

    assertThat(batcher.submit(4)).isEqualTo(5);
    assertThat(batcher.submit(6)).isEqualTo(7);
    assertThat(batcher.passes()).isEqualTo(2);
  }

  @Test
  void requestsArrivingDuringAPassAreDecidedTogetherInTheNextAndEachGetsItsOwnAnswer() throws Exception {
    PlacementBatcher<Integer, Integer> batcher = new PlacementBatcher<>(this::pass, 8);
    Future<Integer> first = callers.submit(() -> batcher.submit(1));
    List<Future<Integer>> later = submitTwoToSixWhileTheFirstPassRuns(batcher);

    firstPassMayEnd.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(10);
    for (int i = 0; i < later.size(); i++) {
      assertThat(later.get(i).get(30, TimeUnit.SECONDS)).isEqualTo((i + 2) * 10);
    }
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).containsExactly(1);
    assertThat(batches.get(1)).containsExactlyInAnyOrder(2, 3, 4, 5, 6);
  }

  @Test
  void aBatchHoldsAtMostBatchMaxRequests() throws Exception {
    PlacementBatcher<Integer, Integer> batcher = new PlacementBatcher<>(this::pass, 2);
    Future<Integer> first = callers.submit(() -> batcher.submit(1));
    List<Future<Integer>> later = submitTwoToSixWhileTheFirstPassRuns(batcher);

    firstPassMayEnd.countDown();

    first.get(30, TimeUnit.SECONDS);
    for (Future<Integer> answer : later) {
      answer.get(30, TimeUnit.SECONDS);
    }
    assertThat(batches).hasSize(4);
    assertThat(batches.subList(1, 4)).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(6);
  }

  @Test
  void aFailedPassFailsEveryRequestOfItsBatchAndTheNextPassRunsNormally() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<List<Integer>> seen = new CopyOnWriteArrayList<>();
    PlacementBatcher<Integer, Integer> batcher = new PlacementBatcher<>(requests -> {
      seen.add(List.copyOf(requests));
      if (seen.size() == 1) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return requests;
      }
      if (requests.contains(13)) {
        throw new IllegalArgumentException("unlucky batch");
      }
      return requests;
    }, 8);
    Future<Integer> first = callers.submit(() -> batcher.submit(1));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
    Future<Integer> unlucky = callers.submit(() -> batcher.submit(13));
    Future<Integer> neighbour = callers.submit(() -> batcher.submit(14));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> batcher.waiting() == 2);

    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> unlucky.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> neighbour.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThat(batcher.submit(7)).isEqualTo(7);
  }
}
