package dev.canopy.storage.local;

import dev.canopy.storage.backend.BlobWriter;
import java.nio.ByteBuffer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes a blob as fixed-size chunks, unsynced (the commit's synced write persists them). The
 * blob is marked in the {@code blobs} family from its creation until a commit clears the mark in
 * the same batch that publishes it, so a crash at any point leaves either a published blob or a
 * marked one that the next open sweeps. States: OPEN → SEALED (last chunk written, by the
 * backend's commit) → COMMITTED; OPEN or SEALED → ABORTED.
 */
final class RocksBlobWriter implements BlobWriter {

  enum State { OPEN, SEALED, COMMITTED, ABORTED }

  private final LocalStore store;
  private final byte[] blobId;
  private final int chunkSize;
  private byte[] buffer;
  private int filled;
  private int chunkCount;
  private long size;
  private State state = State.OPEN;

  RocksBlobWriter(LocalStore store, byte[] blobId, int chunkSize) {
    this.store = store;
    this.blobId = blobId;
    this.chunkSize = chunkSize;
    store.putUnsynced(store.blobs(), blobId, new byte[0]);
  }

  byte[] blobId() {
    return blobId;
  }

  State state() {
    return state;
  }

  @Override
  public void write(ByteBuffer data) {
    if (state != State.OPEN) {
      throw new IllegalStateException("write to a blob in state " + state);
    }
    while (data.hasRemaining()) {
      if (buffer == null) {
        // Allocated on first use so that a 0-byte object costs no chunk buffer.
        buffer = new byte[chunkSize];
      }
      int n = Math.min(data.remaining(), chunkSize - filled);
      data.get(buffer, filled, n);
      filled += n;
      size += n;
      if (filled == chunkSize) {
        flushChunk();
      }
    }
  }

  @Override
  public long size() {
    return size;
  }

  /** Writes the last partial chunk; after this the blob only waits for its commit. */
  void seal() {
    if (state != State.OPEN) {
      throw new IllegalStateException("seal of a blob in state " + state);
    }
    if (filled > 0) {
      flushChunk();
    }
    buffer = null;
    state = State.SEALED;
  }

  /** Adds the clearing of the in-progress mark to the batch that publishes the blob. */
  void commitInto(WriteBatch batch) throws RocksDBException {
    if (state != State.SEALED) {
      throw new IllegalStateException("commit of a blob in state " + state);
    }
    batch.delete(store.blobs(), blobId);
  }

  /** Called once the publishing batch is durable. */
  void committed() {
    state = State.COMMITTED;
  }

  @Override
  public void abort() {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    buffer = null;
    try (WriteBatch batch = new WriteBatch()) {
      deleteBlob(store, batch, blobId);
      batch.delete(store.blobs(), blobId);
      // Unsynced: if this is lost in a crash, the mark survives and the sweep finishes the job.
      store.write(batch, false);
    } catch (RocksDBException e) {
      throw new StoreException("abort of a blob failed", e);
    }
  }

  static void deleteBlob(LocalStore store, WriteBatch batch, byte[] blobId) throws RocksDBException {
    batch.deleteRange(store.chunks(), blobId, ChunkKeys.blobEnd(blobId));
  }

  private void flushChunk() {
    byte[] key = ChunkKeys.chunk(blobId, chunkCount);
    try {
      store.db().put(store.chunks(), asyncOptions(), key, 0, key.length, buffer, 0, filled);
    } catch (RocksDBException e) {
      throw new StoreException("chunk write failed", e);
    }
    chunkCount++;
    filled = 0;
  }

  private org.rocksdb.WriteOptions asyncOptions() {
    return store.asyncWriteOptions();
  }
}
