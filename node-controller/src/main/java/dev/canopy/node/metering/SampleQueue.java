package dev.canopy.node.metering;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metering batches no controller has acknowledged yet, on disk under {@code <dataDir>/metering/}.
 *
 * <p>Files:
 * <ul>
 *   <li>{@code seg-<firstSeq, 20 digits>.json}, one per reading: {@code {"v", "firstSeq", "nextSeq",
 *       "createdMs", "batches": [{"seq", "batchId", "samples": [...]}], "baselines": {...}}}. A
 *       reading with more than {@link #SAMPLES_PER_BATCH_MAX} samples becomes several batches in one
 *       file; the file goes once all of its batches are acknowledged.
 *   <li>{@code state.json}: {@code {"v", "nextSeq", "baselines"}}, the newest baselines even when
 *       every segment is acknowledged and gone.
 * </ul>
 *
 * <p>Why it cannot lose or double a delta across a crash: a segment and the baselines after it
 * are one file, written whole ({@link DurableFiles}); so either the samples exist and the next
 * deltas start after them, or neither exists and the next deltas cover the same interval again.
 * At start the baselines come from whichever file has the highest {@code nextSeq} ({@code
 * state.json} on a tie: a reading of first sightings only updates it alone).
 *
 * <p>Sequence numbers only grow, across restarts. Batch ids also carry a random part, so a wiped
 * folder can never reuse an id the controller already stored (it would ack without storing).
 *
 * <p>Bounded by segments and bytes; when full, {@link #append} refuses and stores nothing. The
 * caller then keeps its old baselines, so nothing is lost: the next accepted reading covers the gap.
 * Thread safe; every method may touch the disk (never call from an event loop).
 */
public final class SampleQueue {

  /** A write in progress: renamed over its file once synced; one left over after a crash is garbage. */
  static final String TEMP_SUFFIX = ".tmp";

  private static Path temp(Path file) {
    return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
  }

  public static final String DIR_NAME = "metering";
  /** 11 hours at one reading per 10 s. */
  public static final int SEGMENTS_MAX_DEFAULT = 4_096;
  public static final long BYTES_MAX_DEFAULT = 256L << 20;
  /** About 120 KiB of JSON: far below the session's 1 MiB message limit. */
  public static final int SAMPLES_PER_BATCH_MAX = 500;

  private static final Logger LOG = LoggerFactory.getLogger(SampleQueue.class);
  private static final int VERSION = 1;
  private static final String STATE_FILE = "state.json";
  private static final String SEGMENT_PREFIX = "seg-";
  private static final String SEGMENT_SUFFIX = ".json";

  /** One batch as sent: {@code samples} is the wire array. */
  public record Batch(long seq, String batchId, ArrayNode samples) {}

  /** What memory holds of a segment: where it is, its size, and its batches not yet acknowledged. */
  private record Segment(Path file, long bytes, Set<String> unacked) {}

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final Path dir;
  private final int maxSegments;
  private final long maxBytes;
  private final RandomGenerator random;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final Map<String, Long> segmentOfBatch = new HashMap<>();
  private long bytes;
  private long nextSeq = 1;
  private Baselines baselines = Baselines.EMPTY;
  /** False after a failed state.json write: it must be rewritten before the newest segment may go. */
  private boolean stateCurrent = true;

  private SampleQueue(Path dir, int maxSegments, long maxBytes, RandomGenerator random) {
    this.dir = dir;
    this.maxSegments = maxSegments;
    this.maxBytes = maxBytes;
    this.random = random;
  }

  /** Opens (creating) the queue under {@code dataDir} and recovers what a previous run left. */
  public static SampleQueue open(Path dataDir, int maxSegments, long maxBytes, RandomGenerator random) {
    if (maxSegments < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("the queue needs room for at least one segment");
    }
    SampleQueue queue = new SampleQueue(dataDir.resolve(DIR_NAME), maxSegments, maxBytes, random);
    try {
      queue.recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the metering queue in " + queue.dir, e);
    }
    return queue;
  }

  public static SampleQueue open(Path dataDir, RandomGenerator random) {
    return open(dataDir, SEGMENTS_MAX_DEFAULT, BYTES_MAX_DEFAULT, random);
  }

  /** The baselines after the newest stored reading: what the next deltas are taken against. */
  public synchronized Baselines baselines() {
    return baselines;
  }

  /**
   * Stores one reading's samples with the baselines after it, durably, before returning true.
   * Returns false, storing nothing, when the queue is full. A reading without samples (first
   * sightings only) just records its baselines.
   *
   * @throws UncheckedIOException when the disk fails; nothing was stored
   */
  public synchronized boolean append(List<Sample> samples, Baselines after, long nowMs) {
    try {
      if (samples.isEmpty()) {
        if (!after.equals(baselines)) {
          writeState(nextSeq, after);
          baselines = after;
        }
        return true;
      }
      if (segments.size() >= maxSegments) {
        return false;
      }
      long firstSeq = nextSeq;
      ObjectNode segment = json.createObjectNode().put("v", VERSION).put("firstSeq", firstSeq);
      ArrayNode batches = json.createArrayNode();
      Set<String> ids = new LinkedHashSet<>();
      for (int from = 0; from < samples.size(); from += SAMPLES_PER_BATCH_MAX) {
        long seq = firstSeq + ids.size();
        String batchId = seq + "-" + String.format("%016x", random.nextLong());
        ArrayNode wire = batches.addObject().put("seq", seq).put("batchId", batchId).putArray("samples");
        samples.subList(from, Math.min(samples.size(), from + SAMPLES_PER_BATCH_MAX)).forEach(s -> wire.add(s.toJson()));
        ids.add(batchId);
      }
      long seqAfter = firstSeq + ids.size();
      segment.put("nextSeq", seqAfter).put("createdMs", nowMs).set("batches", batches);
      segment.set("baselines", json.valueToTree(after));
      byte[] content = json.writeValueAsBytes(segment);
      if (bytes + content.length > maxBytes) {
        return false;
      }
      Path file = dir.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, firstSeq, SEGMENT_SUFFIX));
      DurableFiles.write(file, temp(file), content);
      // The segment is durable: from here on the reading is stored, whatever happens to state.json.
      index(firstSeq, new Segment(file, content.length, ids));
      nextSeq = seqAfter;
      baselines = after;
      try {
        writeState(nextSeq, after);
      } catch (IOException e) {
        stateCurrent = false;
        LOG.warn("metering: could not update {} (the segment holds the same baselines): {}", STATE_FILE, e.toString());
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store a metering reading in " + dir, e);
    }
  }

  /** Up to {@code max} unacknowledged batches, oldest first, leaving out {@code exclude} (those in flight). */
  public synchronized List<Batch> peek(int max, Set<String> exclude) {
    List<Batch> out = new ArrayList<>();
    for (Segment segment : List.copyOf(segments.values())) {
      if (out.size() >= max) {
        break;
      }
      if (exclude.containsAll(segment.unacked())) {
        continue;
      }
      JsonNode stored = read(segment.file());
      if (stored == null) {
        forget(segment);
        continue;
      }
      for (JsonNode batch : stored.path("batches")) {
        String id = batch.path("batchId").asText();
        if (out.size() < max && segment.unacked().contains(id) && !exclude.contains(id)) {
          out.add(new Batch(batch.path("seq").asLong(), id, (ArrayNode) batch.path("samples")));
        }
      }
    }
    return out;
  }

  /** Forgets an acknowledged batch (deleting its segment once all of the segment's are); false if unknown. */
  public synchronized boolean remove(String batchId) {
    Long firstSeq = segmentOfBatch.remove(batchId);
    if (firstSeq == null) {
      return false;
    }
    Segment segment = segments.get(firstSeq);
    segment.unacked().remove(batchId);
    if (segment.unacked().isEmpty()) {
      try {
        if (!stateCurrent) {
          // Deleting the segment would leave an older state.json as the newest baselines: deltas counted twice.
          writeState(nextSeq, baselines);
        }
        // No directory fsync: a deletion lost in a crash only resends batches the controller dedupes.
        Files.deleteIfExists(segment.file());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the acknowledged metering segment " + segment.file(), e);
      }
      segments.remove(firstSeq);
      bytes -= segment.bytes();
    }
    return true;
  }

  /** Unacknowledged batches. */
  public synchronized int batches() {
    return segmentOfBatch.size();
  }

  public synchronized int segments() {
    return segments.size();
  }

  public synchronized long bytes() {
    return bytes;
  }

  /** The sequence number the next batch gets. */
  public synchronized long nextSeq() {
    return nextSeq;
  }

  // ---- recovery ----

  private void recover() throws IOException {
    Files.createDirectories(dir);
    long bestSeq = 0;
    Baselines best = Baselines.EMPTY;
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      files.forEach(found::add);
    }
    for (Path file : found) {
      String name = file.getFileName().toString();
      if (name.endsWith(TEMP_SUFFIX)) {
        // A write a crash interrupted before its rename: it never happened.
        Files.delete(file);
      } else if (name.equals(STATE_FILE)) {
        JsonNode state = readOrQuarantine(file);
        if (state != null && state.path("nextSeq").asLong() >= bestSeq) {
          bestSeq = state.path("nextSeq").asLong();
          best = json.treeToValue(state.path("baselines"), Baselines.class);
        }
      } else if (name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX)) {
        JsonNode segment = readOrQuarantine(file);
        if (segment == null) {
          continue;
        }
        Set<String> ids = new LinkedHashSet<>();
        segment.path("batches").forEach(b -> ids.add(b.path("batchId").asText()));
        index(segment.path("firstSeq").asLong(), new Segment(file, Files.size(file), ids));
        // Strictly newer only: on a tie state.json may hold later first sightings.
        long segmentNext = segment.path("nextSeq").asLong();
        if (segmentNext > bestSeq) {
          bestSeq = segmentNext;
          best = json.treeToValue(segment.path("baselines"), Baselines.class);
        }
      }
    }
    nextSeq = Math.max(1, bestSeq);
    baselines = best;
    if (!segments.isEmpty()) {
      LOG.info("metering: {} unacknowledged batches in {} segments recovered from {}", batches(), segments(), dir);
    }
  }

  private JsonNode readOrQuarantine(Path file) throws IOException {
    try {
      JsonNode node = json.readTree(file.toFile());
      if (node == null || node.path("v").asInt() != VERSION) {
        throw new IOException("not a version " + VERSION + " metering file");
      }
      return node;
    } catch (IOException e) {
      // fsync-then-rename makes this a disk fault; keep the evidence, and say so loudly.
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.error("metering: {} is unreadable ({}); moved to {}; its samples are not sent", file, e.getMessage(), aside);
      return null;
    }
  }

  private void index(long firstSeq, Segment segment) {
    segments.put(firstSeq, segment);
    segment.unacked().forEach(id -> segmentOfBatch.put(id, firstSeq));
    bytes += segment.bytes();
  }

  /** The segment's content, or null when someone deleted the file (then only forgetting it lets the rest go). */
  private JsonNode read(Path file) {
    try {
      return json.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      LOG.error("metering: {} was deleted by someone else before a controller acknowledged it; its samples are lost", file);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metering segment " + file, e);
    }
  }

  private void forget(Segment segment) {
    segments.values().remove(segment);
    segment.unacked().forEach(segmentOfBatch::remove);
    bytes -= segment.bytes();
  }

  private void writeState(long seq, Baselines state) throws IOException {
    ObjectNode node = json.createObjectNode().put("v", VERSION).put("nextSeq", seq);
    node.set("baselines", json.valueToTree(state));
    DurableFiles.write(dir.resolve(STATE_FILE), temp(dir.resolve(STATE_FILE)), json.writeValueAsBytes(node));
    stateCurrent = true;
  }
}
