/**
 * Mutual-TLS peer verification, once for every Canopy port: a peer is accepted when its leaf
 * certificate was issued by the cloud's CA, is valid now, and names exactly one identity
 * {@code canopy:<role>:<id>} (a SAN URI) of a role the port accepts. {@link
 * dev.canopy.core.tls.PeerCheck} is the check, {@link dev.canopy.core.tls.PeerTrustManager} puts
 * it into a TLS handshake. Roles are plain strings here (the node protocol's {@code PeerRole}
 * names them), so the storage service, the node agent and the controller share this one check.
 */
package dev.canopy.core.tls;
