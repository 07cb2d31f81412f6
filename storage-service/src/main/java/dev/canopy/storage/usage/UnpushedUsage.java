package dev.canopy.storage.usage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.local.SystemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a stopping node could not push, kept on its own disk until a later life pushes them. At a
 * stop the controllers may already be gone (the cloud in a box stops them first) and the counts
 * since the last push (up to {@code s3.usageFlushSeconds} of requests) lived only in memory: they
 * are saved here, under the life that counted them, and pushed from the next start on, as that
 * life's absolute totals (a push is idempotent per life and hour, so a resend of what was already
 * pushed changes nothing). Blocking.
 */
public final class UnpushedUsage {

  /** The node's own store's namespace (never replicated: each node's counts are its own). */
  public static final String NAMESPACE = "bucket-usage-unpushed";
  private static final Logger LOG = LoggerFactory.getLogger(UnpushedUsage.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<BucketUsage>> USAGE_LIST = new TypeReference<>() {};

  private final SystemStore local;

  public UnpushedUsage(SystemStore local) {
    this.local = local;
  }

  /** Saves every hour the meter still holds, as this life's totals; one durable write. */
  public void save(String incarnation, List<BucketUsageMeter.HourTotals> held) {
    List<SystemStore.Write> writes = held.stream().filter(t -> !t.usage().isEmpty())
        .map(t -> new SystemStore.Write(NAMESPACE, key(incarnation, t.hour()), json(t.usage()))).toList();
    if (!writes.isEmpty()) {
      local.putAll(writes);
      LOG.info("saved {} hour(s) of bucket usage not pushed yet; the next start pushes them", writes.size());
    }
  }

  /** Pushes what earlier lives saved, in key order, forgetting each once pushed; stops at the first failure. Returns the hours pushed. */
  public int pushSaved(UsageSink sink) {
    int pushed = 0;
    for (Map.Entry<String, byte[]> saved : new TreeMap<>(local.loadAll(NAMESPACE)).entrySet()) {
      int slash = saved.getKey().lastIndexOf('/');
      String incarnation = saved.getKey().substring(0, slash);
      Instant hour = Instant.ofEpochSecond(Long.parseLong(saved.getKey().substring(slash + 1)));
      try {
        sink.push(incarnation, hour, JSON.readValue(saved.getValue(), USAGE_LIST));
      } catch (IOException e) {
        LOG.warn("dropping unreadable saved bucket usage {}: {}", saved.getKey(), e.toString());
      } catch (RuntimeException e) {
        LOG.debug("saved bucket usage {} not pushed yet: {}", saved.getKey(), e.toString());
        return pushed;
      }
      local.delete(NAMESPACE, saved.getKey());
      pushed++;
    }
    return pushed;
  }

  private static String key(String incarnation, Instant hour) {
    return incarnation + "/" + hour.getEpochSecond();
  }

  private static byte[] json(List<BucketUsage> usage) {
    try {
      return JSON.writeValueAsBytes(usage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
