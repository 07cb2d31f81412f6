package dev.canopy.cloud.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The controller's metering store: node agents' sample batches in, samples of an instance or an
 * account over a time range out. See the package documentation for the guarantees.
 *
 * <p>Blocking (grid reads and durable writes): call it off the event loop.
 */
public final class MeteringService {

  /** The grid map of stored batches, by {@code nodeId/batchId}; written through to the durable store. */
  public static final String MAP_NAME = "sample-batches";
  /** Samples one query answers at most; the rest is left for a narrower range. */
  public static final int SAMPLES_PER_QUERY_MAX = 10_000;

  /** Oldest first; ties (one reading split over batches, several NICs) in a fixed order. */
  private static final Comparator<Row> OLDEST_FIRST = Comparator.comparingLong(Row::timestampMs)
      .thenComparing(Row::nodeId).thenComparing(Row::batchId).thenComparingInt(Row::index);

  private final Table<SampleBatchRecord> batches;
  private final InstanceOwners owners;
  private final InstantSource clock;
  private volatile MeterRegistry metrics;
  private volatile java.util.function.Consumer<Map<String, String>> onStored = owners -> {};

  /**
   * @param batches durable: a put returns only once stored and throws when the store fails
   * @param owners who owns each instance, looked up when a batch is stored
   */
  public MeteringService(Table<SampleBatchRecord> batches, InstanceOwners owners, InstantSource clock) {
    this.batches = batches;
    this.owners = owners;
    this.clock = clock;
  }

  /**
   * Counts, per node, the batches and samples stored and the resends ({@code
   * canopy_metering_batches_received_total}, {@code canopy_metering_samples_received_total},
   * {@code canopy_metering_batches_resent_total}, each tagged {@code node}).
   */
  public MeteringService withMetrics(MeterRegistry registry) {
    this.metrics = registry;
    return this;
  }

  /**
   * Told, after each batch stored now (not a resend), which instances it had samples of and their
   * accounts; must return quickly and not throw (the console's live updates).
   */
  public MeteringService onStored(java.util.function.Consumer<Map<String, String>> listener) {
    this.onStored = listener;
    return this;
  }

  /** On the grid's {@value #MAP_NAME} map, with owners from the grid's instance records. */
  public static MeteringService onGrid(Grid grid, dev.canopy.core.time.Time clock) {
    return new MeteringService(grid.map(MAP_NAME, SampleBatchRecord.class), InstanceOwners.onGrid(grid, clock), clock);
  }

  /** Where this service looks up owners: for other readers of usage, so they share what it remembers. */
  public InstanceOwners owners() {
    return owners;
  }

  /**
   * Stores a batch durably, once per node and batch id. Acknowledge it to the agent only after this
   * returns: a batch that throws was not stored, and the agent, which keeps it until acknowledged,
   * sends it again.
   *
   * @return true when stored now; false when it was already stored (a resend after a lost acknowledgement,
   *     possibly to another controller), which is to be acknowledged again
   * @throws RuntimeException when the durable write or the owner lookup fails; nothing was stored
   */
  public boolean ingest(SampleBatch batch) {
    SampleBatchRecord record = new SampleBatchRecord(batch.nodeId(), batch.batchId(), clock.instant(), batch.samples(),
        ownersOf(batch.samples()));
    boolean stored = batches.putIfAbsent(batch.key(), record);
    if (stored) {
      try {
        onStored.accept(record.ownersOrEmpty());
      } catch (RuntimeException e) {
        // A notice is a courtesy to open consoles: the batch is stored, and must be acknowledged.
        org.slf4j.LoggerFactory.getLogger(MeteringService.class).debug("no sample notice: {}", e.toString());
      }
    }
    MeterRegistry registry = metrics;
    if (registry != null) {
      if (stored) {
        registry.counter("canopy.metering.batches.received", "node", batch.nodeId()).increment();
        registry.counter("canopy.metering.samples.received", "node", batch.nodeId()).increment(batch.samples().size());
      } else {
        registry.counter("canopy.metering.batches.resent", "node", batch.nodeId()).increment();
      }
    }
    return stored;
  }

  /**
   * Stored batches the aggregator has not folded yet, at most {@code max}, the earliest received
   * first. Every stored batch is one until {@link #forget} drops it.
   */
  public List<SampleBatchRecord> unfolded(int max) {
    return batches.values(batch -> true).stream()
        .sorted(Comparator.comparing(SampleBatchRecord::receivedAt).thenComparing(SampleBatchRecord::nodeId)
            .thenComparing(SampleBatchRecord::batchId))
        .limit(max).toList();
  }

  /**
   * Drops batches the aggregator has folded and stored. A resend of one after this is stored again
   * and folded again, which adds nothing: the folded series already hold its points.
   */
  public void forget(List<SampleBatchRecord> folded) {
    batches.removeAll(folded.stream().map(batch -> SampleBatch.keyOf(batch.nodeId(), batch.batchId())).toList());
  }

  /** The samples of one instance whose {@code timestampMs} falls in {@code range}, oldest first. */
  public SamplePage ofInstance(String instanceId, TimeRange range) {
    return query(batch -> true, (batch, sampleInstance) -> instanceId.equals(sampleInstance), range);
  }

  /**
   * The samples of every instance {@code accountId} owned when their batch was stored, in
   * {@code range}, oldest first.
   */
  public SamplePage ofAccount(String accountId, TimeRange range) {
    return query(batch -> batch.ownersOrEmpty().containsValue(accountId),
        (batch, sampleInstance) -> accountId.equals(batch.ownersOrEmpty().get(sampleInstance)), range);
  }

  private SamplePage query(Predicate<SampleBatchRecord> batchMayMatch, SampleMatch match, TimeRange range) {
    // The newest of the earliest rows on top, so the queue never holds more than one row too many.
    PriorityQueue<Row> earliest = new PriorityQueue<>(OLDEST_FIRST.reversed());
    boolean truncated = false;
    for (SampleBatchRecord batch : batches.values(batchMayMatch)) {
      int index = 0;
      for (JsonNode sample : batch.samples()) {
        JsonNode timestamp = sample.path("timestampMs");
        String instanceId = sample.path("instanceId").asText(null);
        if (instanceId != null && timestamp.canConvertToLong() && range.contains(timestamp.asLong())
            && match.test(batch, instanceId)) {
          earliest.add(new Row(timestamp.asLong(), batch.nodeId(), batch.batchId(), index, sample));
          if (earliest.size() > SAMPLES_PER_QUERY_MAX) {
            earliest.poll();
            truncated = true;
          }
        }
        index++;
      }
    }
    List<Row> rows = new ArrayList<>(earliest);
    rows.sort(OLDEST_FIRST);
    return new SamplePage(rows.stream().map(Row::sample).toList(), truncated);
  }

  private Map<String, String> ownersOf(JsonNode samples) {
    java.util.Set<String> instanceIds = new java.util.TreeSet<>();
    for (JsonNode sample : samples) {
      String instanceId = sample.path("instanceId").asText(null);
      if (instanceId != null) {
        instanceIds.add(instanceId);
      }
    }
    return new TreeMap<>(owners.ownersOf(instanceIds));
  }

  @FunctionalInterface
  private interface SampleMatch {
    boolean test(SampleBatchRecord batch, String sampleInstanceId);
  }

  private record Row(long timestampMs, String nodeId, String batchId, int index, JsonNode sample) {}
}
