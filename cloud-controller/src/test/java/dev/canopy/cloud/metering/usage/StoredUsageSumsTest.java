package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.VM;
import static dev.canopy.cloud.metering.usage.Batches.cpu;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatch;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Graph sums over random ranges and every step equal the plain sums of the points a user can see:
 * every folded point in the range, and every unfolded one whose series and second no folded point
 * holds. One line per series of each stored day the range touches, and per series an unfolded point
 * in the range has.
 */
class StoredUsageSumsTest {

  private static final Instant START = Instant.parse("2026-12-05T00:00:00Z");
  private static final String MAC_2 = "52:54:00:00:00:0b";
  private static final int DAYS = 3;
  private static final int READINGS = 3_000;

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final MeteringService batches = new MeteringService(new InMemoryTable<SampleBatchRecord>(),
      id -> Optional.of(ACME), Clock.systemUTC());
  private final StoredUsage usage = new StoredUsage(store, batches, id -> Optional.empty());
  private final SplittableRandom random = new SplittableRandom(11);
  /** Series name ("nic metric") to second to value, as folded and as still unfolded. */
  private final Map<String, TreeMap<Long, Long>> folded = new TreeMap<>();
  private final Map<String, TreeMap<Long, Long>> pending = new TreeMap<>();

  @Test
  void sumsEqualThePlainSumOfTheVisiblePoints() {
    UsageAggregator aggregator = new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS);
    for (int b = 0; b < 10; b++) {
      List<ObjectNode> samples = readings(READINGS / 10);
      aggregator.fold(List.of(Batches.batch("f-" + b, samples.toArray(ObjectNode[]::new))), START.plusSeconds(86_400L * DAYS));
      record(samples, folded);
    }
    // Unfolded: new seconds and seconds already folded with other values (the folded value shows).
    // Oldest first, as a query of the unfolded reads them: the earliest sample of a second wins.
    List<ObjectNode> late = new ArrayList<>(readings(READINGS / 3));
    late.sort(Comparator.comparingLong(n -> n.path("timestampMs").asLong()));
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    late.forEach(array::add);
    batches.ingest(new SampleBatch("nd-2", "late-1", array));
    record(late, pending);

    long base = START.getEpochSecond();
    for (int r = 0; r < 40; r++) {
      long from = base - 3_600 + random.nextLong(86_400L * DAYS + 3_600) / (r % 2 == 0 ? 1 : 3_600) * (r % 2 == 0 ? 1 : 3_600);
      long to = from + 1 + random.nextLong(86_400L * 2);
      for (Step step : Step.values()) {
        InstanceSeries series = usage.instanceSeries(VM, from, to, step);
        Map<String, Map<Long, Long>> actual = new LinkedHashMap<>();
        series.lines().forEach(l -> actual.put(name(l.nic(), l.metric().name()), l.sums()));
        assertThat(actual).as("(%d, %d] per %s", from, to, step).containsExactlyEntriesOf(expected(from, to, step));
      }
    }
  }

  /** Readings at random 10-second stamps (a few ms past them) of the CPU and one or two vNICs. */
  private List<ObjectNode> readings(int count) {
    List<ObjectNode> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long ms = START.plusSeconds(10 + 10 * random.nextLong(8_640L * DAYS)).toEpochMilli() + random.nextInt(1_000);
      switch (random.nextInt(3)) {
        case 0 -> samples.add(cpu(ms, random.nextLong(10_000_000_000L)));
        case 1 -> samples.add(nic(ms, random.nextLong(1L << 40), random.nextLong(1L << 40)));
        default -> samples.add(nic(ms, random.nextLong(1L << 20), random.nextLong(1L << 20)).put("mac", MAC_2));
      }
    }
    return samples;
  }

  /** The first value of each series and second wins, as in a block and in a query of the unfolded. */
  private static void record(List<ObjectNode> samples, Map<String, TreeMap<Long, Long>> into) {
    for (MeteredPoint p : SamplePoints.of(List.<JsonNode>copyOf(samples)).points()) {
      into.computeIfAbsent(name(p.nic(), p.metric().name()), k -> new TreeMap<>()).putIfAbsent(p.second(), p.value());
    }
  }

  private Map<String, Map<Long, Long>> expected(long from, long to, Step step) {
    Map<String, Map<Long, Long>> lines = new TreeMap<>();
    LocalDate firstDay = dayOf(from + 1);
    LocalDate lastDay = dayOf(to);
    folded.forEach((name, points) -> {
      // A stored day's series has a line when the range touches the day, even with no point in the range.
      if (points.keySet().stream().map(StoredUsageSumsTest::dayOf).anyMatch(d -> !d.isBefore(firstDay) && !d.isAfter(lastDay))) {
        lines.put(name, new TreeMap<>());
      }
      points.subMap(from, false, to, true).forEach((second, value) -> lines.get(name).merge(step.periodStart(second), value, Long::sum));
    });
    pending.forEach((name, points) -> points.subMap(from, false, to, true).forEach((second, value) -> {
      if (!folded.getOrDefault(name, new TreeMap<>()).containsKey(second)) {
        lines.computeIfAbsent(name, k -> new TreeMap<>()).merge(step.periodStart(second), value, Long::sum);
      }
    }));
    return lines;
  }

  private static String name(String nic, String metric) {
    return (nic == null ? "" : nic) + " " + metric;
  }

  private static LocalDate dayOf(long second) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(second - 1), ZoneOffset.UTC);
  }
}
