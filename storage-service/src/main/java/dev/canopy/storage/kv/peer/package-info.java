/**
 * Node-to-node transport of the replicated store (an adapter: Vert.x lives here, not in the
 * engine). {@link dev.canopy.storage.kv.peer.PeerServer} is a storage node's peer port, {@link
 * dev.canopy.storage.kv.peer.VertxPeerTransport} the {@link dev.canopy.storage.kv.PeerTransport}
 * that calls it. Both sides use mutual TLS from the cloud's CA through core's one peer check
 * ({@link dev.canopy.core.tls.PeerTrustManager}): the server admits only clients whose
 * certificate names an admitted role ({@code canopy:storage:<id>}) and hands the engine the id
 * that certificate names; the client trusts only a server whose certificate names the storage id
 * it dialed. TLS material comes in as JDK types ({@link dev.canopy.storage.kv.peer.PeerTls}).
 *
 * <p>Wire format, version 1: {@code POST /v1/peer}, {@code Content-Type:
 * application/octet-stream}, body = the engine's request bytes (opaque here). 200 with the
 * handler's answer bytes; 413 for a body over {@link
 * dev.canopy.storage.kv.peer.PeerLimits#REQUEST_BYTES_MAX}; 500 with a short text when the
 * handler fails (its stack goes to the server's log only); 503 when the server is saturated or
 * stopping; 404/405 for another path or method. The client turns every status but 200 into
 * {@link dev.canopy.storage.kv.PeerUnreachableException}. Limits and timeouts: {@link
 * dev.canopy.storage.kv.peer.PeerLimits}; docs/replicated-store.md (Peers).
 */
package dev.canopy.storage.kv.peer;
