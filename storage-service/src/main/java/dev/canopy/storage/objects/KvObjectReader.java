package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.local.StoreException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the version it opened, chunk by chunk. It pins by time, not by a snapshot: chunks are
 * immutable and a replaced version's blobs are collected only after the leeway, so a reader
 * that finishes within it always reads the whole version it opened. One chunk is cached (reads
 * arrive in order, often smaller than a chunk), and once reads go from one chunk to the next the
 * chunk after is read ahead while this one is sent: a download then waits for the store once, not
 * once per chunk. So a reader holds at most two chunks.
 */
final class KvObjectReader implements ObjectReader {

  private final KvCalls kv;
  private final Manifest manifest;
  private final long[] segmentStarts;
  private String cachedKey;
  private byte[] cachedChunk;
  /** The chunk read last (blob, index): the next one in order starts a read-ahead. */
  private String lastBlob;
  private int lastIndex = -1;
  private String aheadKey;
  private CompletableFuture<FetchResult> ahead;
  private boolean closed;

  KvObjectReader(KvCalls kv, Manifest manifest) {
    this.kv = kv;
    this.manifest = manifest;
    List<Manifest.Segment> segments = manifest.segments();
    this.segmentStarts = new long[segments.size()];
    long start = 0;
    for (int i = 0; i < segmentStarts.length; i++) {
      segmentStarts[i] = start;
      start += segments.get(i).length();
    }
  }

  @Override
  public ObjectInfo info() {
    return manifest.info();
  }

  @Override
  public byte[] read(long offset, int maxBytes) {
    ByteBuffer view = readView(offset, maxBytes);
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  /** A view of the chunk read (chunks are immutable, and the array is never handed to a writer). */
  @Override
  public ByteBuffer readView(long offset, int maxBytes) {
    if (closed) {
      throw new IllegalStateException("read after close");
    }
    if (offset < 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("offset " + offset + ", maxBytes " + maxBytes);
    }
    if (offset >= manifest.size()) {
      return ByteBuffer.allocate(0);
    }
    if (manifest.inline() != null) {
      int from = (int) offset;
      int to = (int) Math.min(manifest.size(), from + (long) maxBytes);
      return ByteBuffer.wrap(manifest.inline(), from, to - from).slice().asReadOnlyBuffer();
    }
    int segment = Arrays.binarySearch(segmentStarts, offset);
    if (segment < 0) {
      segment = -segment - 2; // the segment that starts before offset
    }
    // Skip zero-length segments (an empty last part) that share a start with the next one.
    while (manifest.segments().get(segment).length() == 0) {
      segment++;
    }
    Manifest.Segment seg = manifest.segments().get(segment);
    long within = offset - segmentStarts[segment];
    int chunkIndex = Math.toIntExact(within / seg.chunkBytes());
    int chunkOffset = (int) (within % seg.chunkBytes());
    byte[] chunk = chunk(seg, chunkIndex);
    int n = (int) Math.min(Math.min(maxBytes, chunk.length - chunkOffset), seg.length() - within);
    if (n <= 0) {
      throw new StoreException("chunk " + chunkIndex + " of blob " + seg.blob() + " is shorter than its manifest says", null);
    }
    return ByteBuffer.wrap(chunk, chunkOffset, n).slice().asReadOnlyBuffer();
  }

  /** One replica first (chunks never change); a miss there may be a replica not yet repaired. */
  private byte[] chunk(Manifest.Segment seg, int index) {
    String blobId = seg.blob();
    String key = KvLayout.chunk(blobId, index);
    if (key.equals(cachedKey)) {
      return cachedChunk;
    }
    FetchResult found = key.equals(aheadKey) ? readAhead() : null;
    if (found == null || !found.found()) {
      found = kv.get(KvLayout.CHUNKS, key, KvCalls.ONE_REPLICA);
    }
    if (!found.found()) {
      found = kv.get(KvLayout.CHUNKS, key);
    }
    if (!found.found()) {
      // Named by the manifest but gone: read after the leeway, or a store that lost data.
      throw new StoreException("missing chunk " + index + " of blob " + blobId, null);
    }
    cachedKey = key;
    cachedChunk = found.siblings().get(0).value();
    boolean inOrder = blobId.equals(lastBlob) && index == lastIndex + 1;
    lastBlob = blobId;
    lastIndex = index;
    if (inOrder && index + 1 < seg.chunks()) {
      aheadKey = KvLayout.chunk(blobId, index + 1);
      ahead = kv.getStarted(KvLayout.CHUNKS, aheadKey, KvCalls.ONE_REPLICA);
    }
    return cachedChunk;
  }

  /** The chunk read ahead; null when that read failed (the caller reads it again, as any other). */
  private FetchResult readAhead() {
    CompletableFuture<FetchResult> started = ahead;
    ahead = null;
    aheadKey = null;
    try {
      return kv.awaitStarted(started, "read ahead");
    } catch (StoreException e) {
      return null;
    }
  }

  @Override
  public void close() {
    closed = true;
    cachedChunk = null;
    ahead = null; // a read under way completes and is dropped
  }
}
