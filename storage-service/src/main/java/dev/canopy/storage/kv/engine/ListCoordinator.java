package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.engine.Message.ListRange;
import dev.canopy.storage.kv.engine.Message.RangeReply;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One page of a listing, as a coverage query: every key lives in the preference list of the
 * partition its hash falls in (its home), so asking {@code r} replicas of every home covers the
 * bucket. For each home it asks the replicas a GET would count (primaries that are up, then
 * fallbacks), the first {@code r} of them; a replica that fails is replaced by the next one, and a
 * home that cannot get {@code r} answers ({@code pr} of them primaries) fails the whole listing
 * with {@link QuorumUnreachableException}: never a page with a silent hole in it. Homes asked of
 * the same vnode go in one ask, and at most {@link ListLimits#ASKS_IN_FLIGHT_MAX} asks run at once,
 * across partitions in parallel. The answers become a page in {@link PageMerge}.
 *
 * <p>No read repair: a listing reads pages of many keys at once and repairing them would turn a
 * read into writes on every stale replica; a GET of a key, and anti-entropy, repair as before.
 */
final class ListCoordinator {

  /** What one listing asks for, and how many replicas must answer. */
  record Query(String bucket, String prefix, String startAfter, int limit, int n, int r, int pr,
      boolean allowMult) {}

  /** One ask of a vnode (a replica's node and partition) for the homes it stands for. */
  private record Ask(Replica replica, List<Integer> homes) {}

  /** A home's replicas in the order they are asked, and its answers so far. */
  private static final class Home {
    final List<Replica> candidates;
    int nextCandidate;
    int answered;
    int primaries;

    Home(List<Replica> candidates) {
      this.candidates = candidates;
    }
  }

  private final KvNode node;
  private final Query query;
  private final Home[] homes;
  private final Queue<Ask> waiting = new ArrayDeque<>();
  private final List<RangeReply> answers = new ArrayList<>();
  private final CompletableFuture<KeyPage> result = new CompletableFuture<>();
  private int homesDone;
  private int inFlight;
  private boolean pumping;

  ListCoordinator(KvNode node, Ring ring, Predicate<String> up, Query query) {
    this.node = node;
    this.query = query;
    this.homes = new Home[ring.partitions()];
    for (int p = 0; p < homes.length; p++) {
      List<Replica> candidates = new ArrayList<>(ring.preferenceList(p, query.n(), up));
      // Stable: primaries keep their ring order, fallbacks follow in theirs.
      candidates.sort(Comparator.comparing(replica -> !replica.primary()));
      // The first r asked are on distinct nodes where the list allows, as a GET's quorum needs.
      homes[p] = new Home(NodeSpread.distinctNodesFirst(candidates));
    }
  }

  CompletableFuture<KeyPage> run() {
    QuorumUnreachableException unreachable = null;
    Map<Replica, List<Integer>> first = new LinkedHashMap<>();
    for (int p = 0; p < homes.length && unreachable == null; p++) {
      Home home = homes[p];
      long primaries = home.candidates.stream().filter(Replica::primary).count();
      if (home.candidates.size() < query.r()) {
        unreachable = new QuorumUnreachableException("list (r)", query.r(), home.candidates.size());
      } else if (primaries < query.pr()) {
        unreachable = new QuorumUnreachableException("list (pr)", query.pr(), (int) primaries);
      }
      for (; home.nextCandidate < query.r() && unreachable == null; home.nextCandidate++) {
        first.computeIfAbsent(home.candidates.get(home.nextCandidate), x -> new ArrayList<>()).add(p);
      }
    }
    if (unreachable != null) {
      result.completeExceptionally(unreachable);
      return result;
    }
    first.forEach((replica, asked) -> waiting.add(new Ask(replica, asked)));
    pump();
    return result;
  }

  /**
   * Sends waiting asks while fewer than the bound are in flight. An answer served in place comes
   * back on this thread and would pump again from inside: the flag turns that into this loop.
   */
  private void pump() {
    synchronized (this) {
      if (pumping) {
        return;
      }
      pumping = true;
    }
    while (true) {
      Ask ask;
      synchronized (this) {
        if (result.isDone() || inFlight >= ListLimits.ASKS_IN_FLIGHT_MAX || waiting.isEmpty()) {
          pumping = false;
          return;
        }
        ask = waiting.poll();
        inFlight++;
      }
      int[] asked = ask.homes().stream().mapToInt(Integer::intValue).toArray();
      node.call(ask.replica().node(), new ListRange(ask.replica().partition(), query.bucket(), asked,
              query.prefix(), query.startAfter(), query.limit()))
          .whenComplete((reply, error) -> answered(ask, error == null ? reply : null));
    }
  }

  private void answered(Ask ask, Message reply) {
    QuorumUnreachableException failure = null;
    boolean complete = false;
    synchronized (this) {
      inFlight--;
      if (result.isDone()) {
        return;
      }
      if (reply instanceof RangeReply range) {
        answers.add(range);
        for (int p : ask.homes()) {
          Home home = homes[p];
          home.answered++;
          home.primaries += ask.replica().primary() ? 1 : 0;
          if (home.answered == query.r()) {
            homesDone++;
            failure = home.primaries < query.pr()
                ? new QuorumUnreachableException("list (pr)", query.pr(), home.primaries) : failure;
          }
        }
        complete = homesDone == homes.length;
      } else {
        failure = askNext(ask.homes());
      }
    }
    if (failure != null) {
      result.completeExceptionally(failure);
    } else if (complete) {
      try {
        result.complete(PageMerge.page(answers, query.limit(), query.allowMult()));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    } else {
      pump();
    }
  }

  /** Queues each home's next replica in place of one that failed; null, or why it cannot. */
  private QuorumUnreachableException askNext(List<Integer> failedHomes) {
    Map<Replica, List<Integer>> next = new LinkedHashMap<>();
    for (int p : failedHomes) {
      Home home = homes[p];
      if (home.nextCandidate == home.candidates.size()) {
        return new QuorumUnreachableException("list (r)", query.r(), home.answered);
      }
      next.computeIfAbsent(home.candidates.get(home.nextCandidate++), x -> new ArrayList<>()).add(p);
    }
    next.forEach((replica, asked) -> waiting.add(new Ask(replica, asked)));
    return null;
  }
}
