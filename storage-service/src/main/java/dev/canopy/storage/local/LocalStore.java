package dev.canopy.storage.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB database in one directory. Column families:
 *
 * <ul>
 *   <li>{@code system}: control-plane records ({@code namespace \0 key});
 *   <li>{@code objects}: object manifests ({@code bucket \0 key});
 *   <li>{@code chunks}: object data ({@code blobId(16) chunkIndex(4, big endian)});
 *   <li>{@code blobs}: markers of blobs being written; whatever is still marked at open was
 *       cut off by a crash and is swept;
 *   <li>{@code uploads}: multipart uploads and their parts.
 * </ul>
 *
 * <p>Durability: writes a client is told about use {@link #syncWrite()} (WAL fsync). RocksDB
 * writes one WAL for all column families in order, so a synced write also persists every
 * unsynced write before it (the streamed chunks of an object). Thread safe. Open once per
 * directory per process (RocksDB holds a lock file); {@link #close()} when done.
 */
public final class LocalStore implements SystemStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);
  private static final List<String> FAMILIES = List.of("system", "objects", "chunks", "blobs", "uploads");

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrite = new WriteOptions().setSync(true);
  // Unsynced but still logged: a later synced write makes these durable too.
  private final WriteOptions asyncWrite = new WriteOptions().setSync(false);
  private final int sweptBlobs;
  private volatile boolean closed;

  private LocalStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db, List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
    this.sweptBlobs = sweepOrphanBlobs();
  }

  /**
   * Opens (creating if needed) the store in {@code dir} and deletes blobs a crash left
   * half-written. Blocking.
   */
  public static LocalStore open(Path dir) {
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (String name : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new LocalStore(dir, dbOptions, cfOptions, db, handles);
    } catch (RocksDBException | java.io.IOException e) {
      handles.forEach(ColumnFamilyHandle::close);
      cfOptions.close();
      dbOptions.close();
      throw new StoreException("cannot open local store in " + dir, e);
    }
  }

  /** How many orphaned blobs the sweep at open deleted. */
  public int sweptBlobCount() {
    return sweptBlobs;
  }

  public Path directory() {
    return dir;
  }

  // ---- SystemStore ------------------------------------------------------------------------

  @Override
  public void put(String namespace, String key, byte[] value) {
    write(db -> db.put(system(), syncWrite, systemKey(namespace, key), value), "put");
  }

  /** One RocksDB write batch, one WAL fsync: all records or none. */
  @Override
  public void putAll(List<Write> writes) {
    if (writes.isEmpty()) {
      return;
    }
    // Before touching the column family's handle, which a closed store has released.
    checkOpen();
    try (WriteBatch batch = new WriteBatch()) {
      for (Write w : writes) {
        batch.put(system(), systemKey(w.namespace(), w.key()), w.value());
      }
      write(batch, true);
    } catch (RocksDBException e) {
      throw new StoreException("system batch put failed", e);
    }
  }

  @Override
  public void delete(String namespace, String key) {
    write(db -> db.delete(system(), syncWrite, systemKey(namespace, key)), "delete");
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    try {
      return Optional.ofNullable(db.get(system(), systemKey(namespace, key)));
    } catch (RocksDBException e) {
      throw new StoreException("system get failed", e);
    }
  }

  /** One RocksDB multi-get: one JNI crossing and sorted lookups for the whole list. */
  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    List<String> asked = List.copyOf(keys);
    List<byte[]> stored = new ArrayList<>(asked.size());
    for (String key : asked) {
      stored.add(systemKey(namespace, key));
    }
    List<byte[]> values;
    try {
      values = db().multiGetAsList(Collections.nCopies(stored.size(), system()), stored);
    } catch (RocksDBException e) {
      throw new StoreException("system multi-get failed", e);
    }
    Map<String, byte[]> found = new HashMap<>();
    for (int i = 0; i < asked.size(); i++) {
      if (values.get(i) != null) {
        found.put(asked.get(i), values.get(i));
      }
    }
    return found;
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    byte[] prefix = systemKey(namespace, "");
    Map<String, byte[]> records = new LinkedHashMap<>();
    try (RocksIterator it = db.newIterator(system())) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        byte[] k = it.key();
        records.put(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8), it.value());
      }
      checkIterator(it);
    }
    return records;
  }

  /** A record of any namespace, as {@link #forEachSystemRecord} visits it. */
  @FunctionalInterface
  public interface SystemRecordVisitor {
    void visit(String namespace, String key, byte[] value);
  }

  /** Every system record of every namespace, in key order (to copy them elsewhere once). */
  public void forEachSystemRecord(SystemRecordVisitor visitor) {
    try (RocksIterator it = db().newIterator(system())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String stored = new String(it.key(), StandardCharsets.UTF_8);
        int separator = stored.indexOf('\0');
        if (separator > 0) {
          visitor.visit(stored.substring(0, separator), stored.substring(separator + 1), it.value());
        }
      }
      checkIterator(it);
    }
  }

  private static byte[] systemKey(String namespace, String key) {
    if (namespace.isEmpty() || namespace.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("namespace must be non-empty without NUL: " + namespace);
    }
    return (namespace + '\0' + key).getBytes(StandardCharsets.UTF_8);
  }

  // ---- for the object backend -------------------------------------------------------------

  RocksDB db() {
    checkOpen();
    return db;
  }

  ColumnFamilyHandle system() {
    return handles.get(1);
  }

  ColumnFamilyHandle objects() {
    return handles.get(2);
  }

  ColumnFamilyHandle chunks() {
    return handles.get(3);
  }

  ColumnFamilyHandle blobs() {
    return handles.get(4);
  }

  ColumnFamilyHandle uploads() {
    return handles.get(5);
  }

  /** Writes a batch; {@code durable} fsyncs the WAL before returning. */
  void write(WriteBatch batch, boolean durable) {
    write(db -> db.write(durable ? syncWrite : asyncWrite, batch), "batch");
  }

  WriteOptions asyncWriteOptions() {
    return asyncWrite;
  }

  void putUnsynced(ColumnFamilyHandle family, byte[] key, byte[] value) {
    write(db -> db.put(family, asyncWrite, key, value), "put");
  }

  byte[] get(ColumnFamilyHandle family, byte[] key) {
    try {
      return db().get(family, key);
    } catch (RocksDBException e) {
      throw new StoreException("get failed", e);
    }
  }

  byte[] get(ColumnFamilyHandle family, ReadOptions options, byte[] key) {
    try {
      return db().get(family, options, key);
    } catch (RocksDBException e) {
      throw new StoreException("get failed", e);
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static void checkIterator(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("iteration failed", e);
    }
  }

  private interface RocksWrite {
    void apply(RocksDB db) throws RocksDBException;
  }

  private void write(RocksWrite op, String what) {
    try {
      op.apply(db());
    } catch (RocksDBException e) {
      throw new StoreException("local store " + what + " failed", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("local store is closed", null);
    }
  }

  /** Deletes the chunks of every blob still marked in progress, then the markers. */
  private int sweepOrphanBlobs() {
    int swept = 0;
    try (RocksIterator markers = db.newIterator(blobs()); WriteBatch batch = new WriteBatch()) {
      for (markers.seekToFirst(); markers.isValid(); markers.next()) {
        byte[] blobId = markers.key();
        batch.deleteRange(chunks(), blobId, ChunkKeys.blobEnd(blobId));
        batch.delete(blobs(), blobId);
        swept++;
      }
      checkIterator(markers);
      if (swept > 0) {
        write(batch, true);
        LOG.info("swept {} blob(s) left half-written by an earlier run in {}", swept, dir);
      }
    } catch (RocksDBException e) {
      throw new StoreException("orphan sweep failed", e);
    }
    return swept;
  }

  /** Closes the database. Callers must have stopped using it (stop the S3 server first). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    syncWrite.close();
    asyncWrite.close();
    handles.forEach(ColumnFamilyHandle::close);
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new StoreException("closing local store failed", e);
    } finally {
      cfOptions.close();
      dbOptions.close();
    }
  }
}
