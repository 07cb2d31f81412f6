package dev.canopy.storage.kv.sim;

import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.kv.PeerTransport;
import dev.canopy.storage.kv.PeerUnreachableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A network and a clock driven by one seeded random source: every message is an event at a
 * random delay (so messages reorder), may be lost, is dropped across a partition or to a
 * crashed node, and a call with no answer within the timeout fails with {@link
 * PeerUnreachableException}. A crashed node's pending calls never complete, so nothing of the
 * dead incarnation acts again.
 */
final class SimNetwork {

  static final long DELAY_MILLIS_MAX = 10;
  static final long TIMEOUT_MILLIS = 40;

  private record Event(long atMillis, long seq, Runnable action) {}

  private final SplittableRandom random;
  final ManualTime time = new ManualTime();
  private final PriorityQueue<Event> events = new PriorityQueue<>(
      (a, b) -> a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis)
          : Long.compare(a.seq, b.seq));
  private final Map<String, PeerTransport.Handler> handlers = new HashMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  private final Map<String, Integer> sides = new HashMap<>();
  private long seq;
  private long nowMillis;
  double lossRate;

  SimNetwork(SplittableRandom random) {
    this.random = random;
  }

  long nowMillis() {
    return nowMillis;
  }

  void attach(String node, PeerTransport.Handler handler) {
    handlers.put(node, handler);
    incarnations.merge(node, 1, Integer::sum);
  }

  void crash(String node) {
    handlers.remove(node);
    incarnations.merge(node, 1, Integer::sum);
  }

  boolean up(String node) {
    return handlers.containsKey(node);
  }

  /** Cuts the network in two: {@code side} on one side, everyone else on the other. */
  void partition(Set<String> side) {
    sides.clear();
    side.forEach(n -> sides.put(n, 1));
  }

  void heal() {
    sides.clear();
  }

  private boolean reachable(String from, String to) {
    return sides.getOrDefault(from, 0).equals(sides.getOrDefault(to, 0));
  }

  PeerTransport transportFor(String from) {
    int incarnation = incarnations.get(from);
    return (to, request) -> {
      CompletableFuture<byte[]> answer = new CompletableFuture<>();
      schedule(TIMEOUT_MILLIS, () -> {
        if (alive(from, incarnation)) {
          answer.completeExceptionally(new PeerUnreachableException(to, "no answer in time"));
        }
      });
      if (lost(from, to)) {
        return answer;
      }
      schedule(delay(), () -> {
        PeerTransport.Handler handler = handlers.get(to);
        if (handler == null || !reachable(from, to)) {
          return;
        }
        handler.handle(from, request).whenComplete((reply, error) -> {
          if (error != null || lost(to, from)) {
            return;
          }
          schedule(delay(), () -> {
            if (alive(from, incarnation) && reachable(from, to)) {
              answer.complete(reply);
            }
          });
        });
      });
      return answer;
    };
  }

  private boolean alive(String node, int incarnation) {
    return handlers.containsKey(node) && incarnations.get(node) == incarnation;
  }

  private boolean lost(String from, String to) {
    return !reachable(from, to) || random.nextDouble() < lossRate;
  }

  private long delay() {
    return 1 + random.nextLong(DELAY_MILLIS_MAX);
  }

  void schedule(long afterMillis, Runnable action) {
    events.add(new Event(nowMillis + afterMillis, seq++, action));
  }

  /** Runs events until {@code done} holds or none is left; false if the bound ran out. */
  boolean runUntil(java.util.function.BooleanSupplier done, int eventsMax) {
    for (int i = 0; i < eventsMax; i++) {
      if (done.getAsBoolean()) {
        return true;
      }
      Event e = events.poll();
      if (e == null) {
        return done.getAsBoolean();
      }
      if (e.atMillis > nowMillis) {
        time.advance(Duration.ofMillis(e.atMillis - nowMillis));
        nowMillis = e.atMillis;
      }
      e.action.run();
    }
    return done.getAsBoolean();
  }

  /** Lets time pass: runs every event due within {@code millis}. */
  void runFor(long millis) {
    long until = nowMillis + millis;
    while (!events.isEmpty() && events.peek().atMillis <= until) {
      Event e = events.poll();
      if (e.atMillis > nowMillis) {
        time.advance(Duration.ofMillis(e.atMillis - nowMillis));
        nowMillis = e.atMillis;
      }
      e.action.run();
    }
    if (until > nowMillis) {
      time.advance(Duration.ofMillis(until - nowMillis));
      nowMillis = until;
    }
  }

  Set<String> nodesUp() {
    return new HashSet<>(handlers.keySet());
  }
}
