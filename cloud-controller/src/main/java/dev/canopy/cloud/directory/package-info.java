/**
 * The controllers' directory for storage nodes: DESIGN.md has a storage node read credentials and
 * bucket metadata "from the controllers over mutual TLS (cached, invalidated on change), never as
 * a grid client". {@link dev.canopy.cloud.directory.StorageDirectoryServer} serves the controller's
 * {@code CredentialLookup} and {@code BucketRegistry} on port 8782 to {@code storage} certificates
 * of the cloud's CA only ({@link dev.canopy.cloud.directory.DirectoryPeers}, which also builds the
 * storage node's client context); the API and wire format are in {@code
 * dev.canopy.storage.directory}, with the storage node's client {@code RemoteDirectory}.
 *
 * <p>Change notification: {@link dev.canopy.cloud.directory.GridDirectoryChanges} counts Hazelcast
 * entry events on the {@code access-keys}, {@code accounts} and {@code buckets} maps (cheap: one
 * listener per map, no values shipped), and {@code GET /v1/changes} serves the counters with a
 * source naming this server's certificate and start. Clients poll it at most once a second and
 * drop their cached credentials or buckets when a counter moves. Hazelcast may lose events when a
 * member fails, so clients also age entries out after a minute.
 */
package dev.canopy.cloud.directory;
