package dev.canopy.cloud.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Groups concurrent requests so that one pass decides many: the caller that finds no pass running
 * becomes the placer, takes every request waiting (up to {@code batchMax}), runs one pass over them
 * and answers each. Requests that arrive during a pass wait and form the next batch. Once its own
 * request is answered the placer hands the role to the oldest waiting caller, so nobody places for
 * others indefinitely. There is no thread of its own and no timer: a lone request is decided at
 * once, and a burst in as few passes as it takes.
 *
 * <p>Passes never overlap, so a pass may keep its decisions in plain memory. A pass that throws
 * fails every request of its batch with that exception.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
public final class PlacementBatcher<Q, A> {

  private final Function<List<Q>, List<A>> pass;
  private final int batchMax;
  private final ArrayDeque<Waiting<Q, A>> queue = new ArrayDeque<>();
  /** True while some caller is the placer; guarded by {@code this}. */
  private boolean placing;
  private long passes;

  /**
   * @param pass decides a batch: one answer per request, in the same order
   * @param batchMax the most requests one pass decides
   */
  public PlacementBatcher(Function<List<Q>, List<A>> pass, int batchMax) {
    if (batchMax < 1) {
      throw new IllegalArgumentException("batchMax must be at least 1: " + batchMax);
    }
    this.pass = pass;
    this.batchMax = batchMax;
  }

  /** Decides {@code request} in the next pass; blocks until it is decided. */
  public A submit(Q request) {
    Waiting<Q, A> mine = new Waiting<>(request);
    boolean lead;
    synchronized (this) {
      queue.add(mine);
      lead = !placing;
      placing = true;
    }
    if (!lead) {
      CompletableFuture.anyOf(mine.answer, mine.promoted).join();
      lead = !mine.answer.isDone();
    }
    if (lead) {
      placeUntilAnswered(mine);
    }
    try {
      return mine.answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Requests waiting for a pass (not counting the batch being decided). */
  public synchronized int waiting() {
    return queue.size();
  }

  /** Passes run so far. */
  public synchronized long passes() {
    return passes;
  }

  private void placeUntilAnswered(Waiting<Q, A> mine) {
    while (!mine.answer.isDone()) {
      List<Waiting<Q, A>> batch = new ArrayList<>();
      synchronized (this) {
        while (!queue.isEmpty() && batch.size() < batchMax) {
          batch.add(queue.poll());
        }
        passes++;
      }
      decide(batch);
    }
    synchronized (this) {
      Waiting<Q, A> next = queue.peek();
      if (next == null) {
        placing = false;
      } else {
        next.promoted.complete(null);
      }
    }
  }

  private void decide(List<Waiting<Q, A>> batch) {
    List<A> answers;
    try {
      answers = pass.apply(batch.stream().map(w -> w.request).toList());
      if (answers.size() != batch.size()) {
        throw new IllegalStateException("a pass answered " + answers.size() + " of " + batch.size() + " requests");
      }
    } catch (RuntimeException | Error e) {
      // Every caller of the batch hears of it; none is left waiting (which would stall all placing).
      batch.forEach(w -> w.answer.completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer.complete(answers.get(i));
    }
  }

  private static final class Waiting<Q, A> {
    final Q request;
    final CompletableFuture<A> answer = new CompletableFuture<>();
    /** Completed when this caller is to become the placer. */
    final CompletableFuture<Void> promoted = new CompletableFuture<>();

    Waiting(Q request) {
      this.request = request;
    }
  }
}
