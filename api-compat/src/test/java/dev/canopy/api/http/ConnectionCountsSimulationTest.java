package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.http.ConnectionCounts.Admission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission rule under a seeded storm of opens and closes from a few noisy addresses and
 * many quiet ones, checked after every event against a plain model: a connection is refused
 * exactly when a cap is reached, the right cap is named, and no count drifts.
 */
class ConnectionCountsSimulationTest {

  private static final int EVENTS = 5_000;

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyDecisionMatchesTheModelAndTheCountsNeverDrift(long seed) {
    Random r = new Random(seed);
    int listenerMax = 5 + r.nextInt(60);
    int perAddressMax = 1 + r.nextInt(listenerMax);
    ConnectionCounts counts = new ConnectionCounts(listenerMax, perAddressMax);
    Map<String, Integer> model = new HashMap<>();
    List<String> open = new ArrayList<>();

    for (int event = 0; event < EVENTS; event++) {
      // Three noisy addresses send most connections; the rest come from a large pool.
      String address = r.nextInt(4) > 0 ? "10.0.0." + r.nextInt(3) : "192.168." + r.nextInt(200) + "." + r.nextInt(256);
      if (!open.isEmpty() && r.nextInt(100) < 45) {
        String closing = open.remove(r.nextInt(open.size()));
        counts.release(closing);
        model.merge(closing, -1, Integer::sum);
        model.remove(closing, 0);
      } else {
        int total = open.size();
        int fromAddress = model.getOrDefault(address, 0);
        Admission expected =
            total >= listenerMax
                ? Admission.LISTENER_FULL
                : fromAddress >= perAddressMax ? Admission.ADDRESS_FULL : Admission.ADMITTED;

        assertThat(counts.admit(address)).as("event %d, seed %d", event, seed).isEqualTo(expected);
        if (expected == Admission.ADMITTED) {
          open.add(address);
          model.merge(address, 1, Integer::sum);
        }
      }
      assertThat(counts.open()).isEqualTo(open.size()).isLessThanOrEqualTo(listenerMax);
      assertThat(counts.addresses()).isEqualTo(model.size()).isLessThanOrEqualTo(listenerMax);
      assertThat(counts.openFrom(address)).isEqualTo(model.getOrDefault(address, 0)).isLessThanOrEqualTo(perAddressMax);
    }
    for (String a : open) {
      counts.release(a);
    }
    assertThat(counts.open()).isZero();
    assertThat(counts.addresses()).isZero();
  }

  @Test
  void threadsRacingForTheLastSlotsAdmitExactlyTheCap() throws Exception {
    int listenerMax = 64;
    ConnectionCounts counts = new ConnectionCounts(listenerMax, 16);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String address = "10.0.1." + t;
        admitted.add(
            pool.submit(
                () -> {
                  start.await();
                  int n = 0;
                  for (int i = 0; i < 100; i++) {
                    if (counts.admit(address) == Admission.ADMITTED) {
                      n++;
                    }
                  }
                  return n;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : admitted) {
        int n = f.get();
        assertThat(n).isLessThanOrEqualTo(16);
        total += n;
      }
      assertThat(total).isEqualTo(listenerMax);
      assertThat(counts.open()).isEqualTo(listenerMax);
    } finally {
      pool.shutdownNow();
    }
  }
}
