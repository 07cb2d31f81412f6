/**
 * The storage process's internal key-value endpoint: {@link
 * dev.canopy.storage.internal.InternalKvServer} serves a {@link
 * dev.canopy.storage.local.SystemStore} over mutual TLS to the controllers, so that every
 * controller's grid writes through to one shared durable store (Hazelcast keeps an entry only
 * on its owner member, so per-controller stores would lose data on a full restart). {@link
 * dev.canopy.storage.internal.KvPaths} and {@link dev.canopy.storage.internal.KvRecords} are the
 * wire format, shared with the controllers' client. Clients are checked by core's one peer check
 * ({@link dev.canopy.core.tls.PeerTrustManager}); the caller passes the TLS material as JDK types
 * and the role names it admits.
 *
 * <p>API, version 1 (every response is text/plain unless said otherwise):
 *
 * <ul>
 *   <li>{@code PUT /v1/kv/{namespace}/{key}}, body = value (at most 1 MiB): 204 once the store's
 *       synced write returned;
 *   <li>{@code POST /v1/kv-batch}, body = records in {@link KvWrites}' format (at most 16 MiB,
 *       each value at most 1 MiB): 204 once all are written, in one synced write on a local store,
 *       quorum puts in parallel on the replicated one; any failure fails the whole call (some
 *       records may be written: the client retries the batch, whose records are absolute values);
 *   <li>{@code DELETE /v1/kv/{namespace}/{key}}: 204 once synced;
 *   <li>{@code GET /v1/kv/{namespace}/{key}}: 200 with the value, or 404 with header {@code
 *       Canopy-Kv-Result: missing};
 *   <li>{@code GET /v1/kv/{namespace}}: 200, every record in {@link KvRecords}' format;
 *   <li>{@code POST /v1/kv/{namespace}?get}, body = up to 1,000 keys in {@link KvKeys}' format:
 *       200 with the records of those keys that exist, in {@link KvRecords}' format (absent keys
 *       absent), read as single GETs read them (a local store's multi-get; quorum reads in
 *       parallel lanes on the replicated one); 400 for a malformed body, too many keys or a bad
 *       key; 413 with {@code Canopy-Kv-Result: too-large} when the records found pass 16 MiB (the
 *       client asks for fewer keys);
 *   <li>{@code GET /v1/objects/{bucket}/{key}/digest} ({@link ObjectPaths}): 200 with the
 *       object's size, ETag and SHA-256 as JSON ({@link ObjectDigestJson}), or 404 with header
 *       {@code Canopy-Kv-Result: missing} when there is no such object; 501 from a process
 *       that serves no objects. The SHA-256 is computed once per object version ({@link
 *       ObjectDigester}), so the first answer for a large object takes as long as reading it.
 * </ul>
 *
 * <p>400 for a bad namespace or key, 413 for an oversized value, 503 when the store fails or the
 * server is saturated; never a stack trace.
 */
package dev.canopy.storage.internal;
