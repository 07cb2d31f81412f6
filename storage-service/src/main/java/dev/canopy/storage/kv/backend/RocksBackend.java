package dev.canopy.storage.kv.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;

/**
 * A {@link KvBackend} on one RocksDB database in its own directory.
 *
 * <p><b>Partitions as key prefixes, not column families.</b> Every record is stored under its
 * partition's 4-byte big-endian number followed by its key ({@link PartitionKeys}), in the default
 * column family. A partition is then one contiguous range: {@link #fold} is a range scan bounded
 * by the next partition's prefix, {@link #drop} one range delete. Column families were the
 * alternative; they were not taken because partitions come and go with ownership (a handoff adds
 * one, a drop removes one), which would mean creating and dropping families at run time and
 * keeping their handles in step with the ring, and each family has its own memtables: 64
 * partitions would hold 64 write buffers where the prefix layout shares one. A drop's space comes
 * back with compaction rather than at once, which a rare handoff can afford.
 *
 * <p><b>Durability</b> as {@link dev.canopy.storage.local.LocalStore} does it: a {@code sync}
 * write uses {@code WriteOptions.setSync(true)} (the WAL is fsynced before the call returns), and
 * concurrent synced writers are batched by RocksDB's write group, so they share fsyncs instead of
 * queueing one each. An unsynced write is in the WAL in the operating system's cache: it survives
 * the process, not the machine, until a later synced write (the WAL is one ordered log, so that
 * write persists it too) or {@link #sync()}. A drop is always synced: a dropped partition that
 * came back after a crash would hold stale replicas the node no longer owns.
 *
 * <p>Thread safe. Every RocksDB error becomes a {@link BackendException}. Calls hold a shared lock
 * that {@link #close()} takes exclusively, so closing waits for calls in flight (a call into a
 * closed native database would crash the JVM) and later calls fail with a {@link
 * BackendException}. Do not close from inside a fold's callback: the fold holds the shared lock.
 */
public final class RocksBackend implements KvBackend {

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions syncWrite = new WriteOptions().setSync(true);
  private final WriteOptions asyncWrite = new WriteOptions().setSync(false);
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;
  private final AtomicLong syncsAsked = new AtomicLong();
  private final Object syncing = new Object();
  /** The highest sync ticket known durable; guarded by {@link #syncing}. */
  private long syncedThrough;

  private RocksBackend(Path dir, Options options, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.db = db;
  }

  /**
   * Values from this size on (object chunks, 1 MiB) live in blob files, their tables keeping only a
   * reference: compactions then move references instead of rewriting every chunk at each level.
   */
  static final long BLOB_BYTES_MIN = 16 * 1024;
  /** Bloom filter bits per key: about 1% false positives. */
  private static final double BLOOM_BITS_PER_KEY = 10;
  /**
   * Memtables (64 MiB each) a backend may hold. RocksDB's default of two stopped every write while
   * one memtable was being flushed and the next had filled: 64 chunks of large uploads fill one, and
   * a burst of 64 MiB PUTs met "Stopping writes because we have 2 immutable memtables" every few
   * seconds, stalling the small synced writes queued behind them too. Four let a flush finish while
   * two more fill; the memory is taken only under such a burst.
   */
  static final int MEMTABLES_MAX = 4;

  /** Opens (creating if needed) the backend in {@code dir}. One open per directory at a time. */
  public static RocksBackend open(Path dir) {
    // Every put reads the key first (to merge causal histories), and most puts are of new keys
    // (chunks): a Bloom filter answers "absent" without reading a data block of each table.
    Options options = new Options().setCreateIfMissing(true)
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(BLOOM_BITS_PER_KEY)))
        .setEnableBlobFiles(true)
        .setMinBlobSize(BLOB_BYTES_MIN)
        .setEnableBlobGarbageCollection(true)
        .setMaxWriteBufferNumber(MEMTABLES_MAX);
    try {
      Files.createDirectories(dir);
      return new RocksBackend(dir, options, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException | IOException e) {
      options.close();
      throw new BackendException("cannot open the kv backend in " + dir, e);
    }
  }

  public Path directory() {
    return dir;
  }

  @Override
  public Optional<byte[]> get(int partition, byte[] key) {
    byte[] stored = PartitionKeys.prefixed(partition, key);
    return call("get", () -> Optional.ofNullable(db.get(stored)));
  }

  @Override
  public void put(int partition, byte[] key, byte[] value, boolean sync) {
    byte[] stored = PartitionKeys.prefixed(partition, key);
    Objects.requireNonNull(value, "value");
    call("put", () -> {
      db.put(writeOptions(sync), stored, value);
      return null;
    });
  }

  @Override
  public void delete(int partition, byte[] key, boolean sync) {
    byte[] stored = PartitionKeys.prefixed(partition, key);
    call("delete", () -> {
      db.delete(writeOptions(sync), stored);
      return null;
    });
  }

  /**
   * Group commit: callers that ask while a sync runs wait for the next one, which covers them all
   * (one fsync for every write that finished before it started), instead of an fsync each.
   */
  @Override
  public void sync() {
    long ticket = syncsAsked.incrementAndGet();
    synchronized (syncing) {
      if (syncedThrough >= ticket) {
        return;
      }
      // Every ticket up to here was taken after its caller's write had finished: this fsync covers them.
      long through = syncsAsked.get();
      call("sync", () -> {
        db.flushWal(true);
        return null;
      });
      syncedThrough = through;
    }
  }

  @Override
  public void fold(int partition, BiConsumer<byte[], byte[]> each) {
    scan("fold", partition, new byte[0], (key, value) -> {
      each.accept(key, value);
      return true;
    });
  }

  @Override
  public void foldPrefix(int partition, byte[] prefix, BiPredicate<byte[], byte[]> each) {
    scan("foldPrefix", partition, prefix, each);
  }

  /**
   * A seek to the partition's {@code prefix} and a scan from a snapshot, bounded by the
   * partition's end, that stops at the first key past the prefix or when {@code each} says so.
   */
  private void scan(String what, int partition, byte[] prefix, BiPredicate<byte[], byte[]> each) {
    byte[] start = PartitionKeys.prefixed(partition, prefix);
    byte[] end = PartitionKeys.end(partition);
    call(what, () -> {
      Snapshot snapshot = db.getSnapshot();
      try (Slice upper = new Slice(end);
          ReadOptions read = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(read)) {
        for (it.seek(start); it.isValid(); it.next()) {
          byte[] stored = it.key();
          if (!PartitionKeys.startsWith(stored, start)
              || !each.test(PartitionKeys.strip(stored), it.value())) {
            break;
          }
        }
        it.status();
      } finally {
        db.releaseSnapshot(snapshot);
      }
      return null;
    });
  }

  @Override
  public boolean isEmpty(int partition) {
    byte[] start = PartitionKeys.start(partition);
    byte[] end = PartitionKeys.end(partition);
    return call("isEmpty", () -> {
      try (Slice upper = new Slice(end);
          ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(read)) {
        it.seek(start);
        boolean empty = !it.isValid();
        it.status();
        return empty;
      }
    });
  }

  @Override
  public void drop(int partition) {
    byte[] start = PartitionKeys.start(partition);
    byte[] end = PartitionKeys.end(partition);
    call("drop", () -> {
      db.deleteRange(syncWrite, start, end);
      return null;
    });
  }

  /** Closes the database; later calls throw {@link BackendException}. Idempotent. */
  @Override
  public void close() {
    Lock exclusive = lifecycle.writeLock();
    exclusive.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      syncWrite.close();
      asyncWrite.close();
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new BackendException("closing the kv backend in " + dir + " failed", e);
      } finally {
        options.close();
      }
    } finally {
      exclusive.unlock();
    }
  }

  private WriteOptions writeOptions(boolean sync) {
    return sync ? syncWrite : asyncWrite;
  }

  private interface RocksCall<T> {
    T apply() throws RocksDBException;
  }

  /** Runs one call on the open database; the only place RocksDB's checked errors are caught. */
  private <T> T call(String what, RocksCall<T> op) {
    Lock shared = lifecycle.readLock();
    shared.lock();
    try {
      if (closed) {
        throw new BackendException("the kv backend in " + dir + " is closed (" + what + ")", null);
      }
      return op.apply();
    } catch (RocksDBException e) {
      throw new BackendException("kv backend " + what + " in " + dir + " failed: " + e.getMessage(), e);
    } finally {
      shared.unlock();
    }
  }
}
