package dev.canopy.storage.directory;

import dev.canopy.core.time.Time;
import dev.canopy.storage.directory.DirectoryJson.Changes;
import dev.canopy.storage.s3.DirectoryUnavailableException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the controllers' change counters at most once per interval, on the thread of a lookup
 * that finds the interval over (no thread of its own; an idle storage node asks nothing), and
 * drops the caches whose counter moved. While one lookup polls, the others go on with the caches.
 *
 * <p>A poll that reaches no controller changes nothing: cached entries then live out their own
 * lifetime, so a short controller outage does not become an S3 outage at once. An answer that
 * cannot be read drops both caches, since nothing can be known from it.
 */
final class ChangeWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeWatch.class);

  private final DirectoryClient client;
  private final Time time;
  private final Duration interval;
  private final Runnable dropCredentials;
  private final Runnable dropBuckets;
  private final ReentrantLock polling = new ReentrantLock();
  private volatile boolean polledOnce;
  private volatile long polledNanos;
  /** The counters seen last; only touched under {@link #polling}. */
  private Changes seen;

  ChangeWatch(DirectoryClient client, Time time, Duration interval, Runnable dropCredentials, Runnable dropBuckets) {
    this.client = client;
    this.time = time;
    this.interval = interval;
    this.dropCredentials = dropCredentials;
    this.dropBuckets = dropBuckets;
  }

  void pollIfDue() {
    if (!due() || !polling.tryLock()) {
      return;
    }
    try {
      if (!due()) {
        return;
      }
      polledNanos = time.nanoTime();
      polledOnce = true;
      DirectoryClient.Answer answer;
      try {
        answer = client.get("read the directory's change counters", DirectoryPaths.CHANGES, DirectoryJson.RECORD_BYTES_MAX);
      } catch (DirectoryUnavailableException e) {
        return;
      }
      apply(answer);
    } finally {
      polling.unlock();
    }
  }

  private boolean due() {
    return !polledOnce || time.nanoTime() - polledNanos >= interval.toNanos();
  }

  private void apply(DirectoryClient.Answer answer) {
    Changes now;
    try {
      if (answer.status() != 200) {
        throw new IllegalArgumentException("the change counters were answered with " + answer.status());
      }
      now = DirectoryJson.changes(answer.body());
    } catch (IllegalArgumentException e) {
      LOG.warn("cannot read the directory's change counters ({}); dropping every cached entry", e.getMessage());
      dropCredentials.run();
      dropBuckets.run();
      seen = null;
      return;
    }
    boolean sameSource = seen != null && seen.source().equals(now.source());
    if (!sameSource || seen.credentials() != now.credentials()) {
      dropCredentials.run();
    }
    if (!sameSource || seen.buckets() != now.buckets()) {
      dropBuckets.run();
    }
    seen = now;
  }
}
