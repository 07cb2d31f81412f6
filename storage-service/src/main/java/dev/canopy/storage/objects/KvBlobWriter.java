package dev.canopy.storage.objects;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.kv.FetchResult;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a blob as immutable chunks under fresh keys, one quorum write per full chunk, up to
 * {@link #CHUNK_WRITES_STARTED_MAX} of them under way while the next chunk is received: so it holds
 * at most that many chunks plus the one filling in memory, and a PUT's speed is not one chunk's
 * round trip after another. The commit waits for every chunk before the manifest names them. Before the first chunk it writes a pending GC record
 * (refreshed while the upload lasts), so chunks a crash leaves behind are collected. A small
 * object never reaches a chunk: its bytes go inline into the manifest and no record is needed.
 *
 * <p>States: OPEN → SEALED (tail written, by the commit) → COMMITTED; OPEN or SEALED → ABORTED.
 */
final class KvBlobWriter implements BlobWriter {

  enum State { OPEN, SEALED, COMMITTED, ABORTED }

  /**
   * Chunk writes one blob keeps under way at once: enough to overlap the replicas' round trips
   * with receiving, few enough that an upload holds three chunks (64 uploads at once, the
   * per-account default, hold 192 MiB).
   */
  static final int CHUNK_WRITES_STARTED_MAX = 2;

  /** The buffer a blob of unknown size starts with; it doubles up to a chunk as bytes come. */
  private static final int FIRST_BUFFER_BYTES = 16 * 1024;

  /** What a sealed blob publishes: inline bytes, or a segment of chunks. */
  record Body(byte[] inline, Manifest.Segment segment) {}

  private final KvCalls kv;
  private final GarbageCollector gc;
  private final InstantSource clock;
  private final ObjectStoreSettings settings;
  private final String blobId;
  private byte[] buffer;
  private int filled;
  private int chunkCount;
  private long size;
  private long expectedBytes = -1;
  private byte[] gcContext;
  private long gcWrittenMs;
  private State state = State.OPEN;
  /** Chunk writes started and not yet waited for, oldest first. */
  private final ArrayDeque<CompletableFuture<FetchResult>> started = new ArrayDeque<>();

  KvBlobWriter(KvCalls kv, GarbageCollector gc, InstantSource clock, ObjectStoreSettings settings, String blobId) {
    this.kv = kv;
    this.gc = gc;
    this.clock = clock;
    this.settings = settings;
    this.blobId = blobId;
  }

  String blobId() {
    return blobId;
  }

  @Override
  public void expect(long bytes) {
    expectedBytes = bytes;
  }

  @Override
  public void write(ByteBuffer data) {
    if (state != State.OPEN) {
      throw new IllegalStateException("write to a blob in state " + state);
    }
    while (data.hasRemaining()) {
      if (buffer == null) {
        // Allocated on first use so that a 0-byte object costs no chunk buffer; sized once when
        // the size is known (each doubling copies what came so far).
        buffer = new byte[firstBufferBytes()];
      } else if (filled == buffer.length) {
        // Grown by doubling up to a chunk: a 4 KiB object must not cost a 1 MiB array, which the
        // JVM's G1 allocates outside its young generation (a humongous object) and collects late.
        int grown = Math.max(FIRST_BUFFER_BYTES, buffer.length * 2);
        buffer = Arrays.copyOf(buffer, Math.min(settings.chunkBytes(), grown));
      }
      int n = Math.min(data.remaining(), buffer.length - filled);
      data.get(buffer, filled, n);
      filled += n;
      size += n;
      if (filled == settings.chunkBytes()) {
        flushChunk();
      }
    }
  }

  private int firstBufferBytes() {
    if (expectedBytes > 0) {
      return (int) Math.min(settings.chunkBytes(), expectedBytes);
    }
    return Math.min(settings.chunkBytes(), FIRST_BUFFER_BYTES);
  }

  @Override
  public long size() {
    return size;
  }

  /**
   * Writes what is buffered; the blob then only waits for its commit.
   *
   * @param inlineAllowed a part must be a blob (a manifest's segment names it), an object need not
   */
  Body seal(boolean inlineAllowed) {
    if (state != State.OPEN) {
      throw new IllegalStateException("seal of a blob in state " + state);
    }
    state = State.SEALED;
    if (inlineAllowed && chunkCount == 0 && size <= settings.inlineBytesMax()) {
      byte[] inline = filled == 0 ? new byte[0] : Arrays.copyOf(buffer, filled);
      buffer = null;
      return new Body(inline, null);
    }
    if (filled > 0) {
      flushChunk();
    }
    buffer = null;
    while (!started.isEmpty()) {
      awaitOldestChunk();
    }
    if (gcContext == null) {
      // An empty part has no chunk but is still a segment: a record keeps the books uniform.
      gcContext = gc.pending(blobId, null);
    }
    return new Body(null, new Manifest.Segment(blobId, size, settings.chunkBytes()));
  }

  /** Names the record about to hold this blob, before it is written (see {@link GarbageCollector}). */
  void claim(String ownerBucket, String ownerKey, boolean ownerIsPart) {
    if (gcContext != null) {
      gcContext = gc.claim(blobId, chunkCount, gcContext, ownerBucket, ownerKey, ownerIsPart);
    }
  }

  /** Called once the owner is durable. */
  void committed() {
    if (state != State.SEALED) {
      throw new IllegalStateException("commit of a blob in state " + state);
    }
    state = State.COMMITTED;
    if (gcContext != null) {
      gc.release(blobId, gcContext);
    }
  }

  /** A chunk that could not be written fails the upload (503): the client sends it again. */
  private void awaitOldestChunk() {
    kv.awaitStarted(started.poll(), "write a chunk of blob " + blobId);
  }

  @Override
  public void abort() {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    buffer = null;
    // Writes under way may still land: the record below counts them, and the collector takes them.
    started.clear();
    if (gcContext != null) {
      gc.abandon(blobId, chunkCount, gcContext);
    }
  }

  private void flushChunk() {
    long now = clock.millis();
    if (gcContext == null || now - gcWrittenMs > settings.abandonedWriteTimeout().toMillis() / 2) {
      // First chunk, or a long upload: (re)arm the record before the collector could take it.
      gcContext = gc.pending(blobId, gcContext);
      gcWrittenMs = now;
    }
    byte[] chunk = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
    while (started.size() >= CHUNK_WRITES_STARTED_MAX) {
      awaitOldestChunk();
    }
    // The store may keep a reference to the array it was handed: never refill it.
    started.add(kv.putBlindStarted(KvLayout.CHUNKS, KvLayout.chunk(blobId, chunkCount), chunk));
    chunkCount++;
    filled = 0;
    if (chunk == buffer) {
      buffer = new byte[settings.chunkBytes()];
    }
  }
}
