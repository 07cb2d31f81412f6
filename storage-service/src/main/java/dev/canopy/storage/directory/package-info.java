/**
 * A storage node's view of the controllers' directory: the access keys and bucket records its S3
 * API needs, read over mutual TLS from any controller (never as a grid client, see DESIGN.md's
 * roles). {@link dev.canopy.storage.directory.RemoteDirectory} gives the {@code
 * CredentialLookup} and the {@code BucketRegistry} an {@code S3Server} is built with; it caches
 * what it reads and fails over between controllers. {@link
 * dev.canopy.storage.directory.DirectoryPaths} and {@link dev.canopy.storage.directory.DirectoryJson}
 * are the wire format, shared with the controllers' server ({@code
 * dev.canopy.cloud.directory.StorageDirectoryServer}). This package knows no certificate roles:
 * it is handed an {@code SSLContext} that presents the node's {@code storage} certificate and
 * trusts only a {@code controller} of the cloud's CA.
 *
 * <p>API, version 1, JSON over HTTPS (port 8782 by default), every error a body {@code
 * {"code":…,"message":…}}:
 *
 * <ul>
 *   <li>{@code GET /v1/credentials/{accessKeyId}}: 200 {@code {accessKeyId, secretAccessKey,
 *       accountId}}, or 404 {@code NoSuchAccessKey};
 *   <li>{@code GET /v1/buckets/{name}}: 200 {@code {name, ownerAccountId, createdAt, region}}, or
 *       404 {@code NoSuchBucket};
 *   <li>{@code PUT /v1/buckets/{name}}, body a bucket record of that name: 201 when registered,
 *       409 {@code BucketAlreadyExists} when the name is taken by anyone;
 *   <li>{@code DELETE /v1/buckets/{name}}: 204, whether or not it existed;
 *   <li>{@code GET /v1/buckets?owner={accountId}}: 200 {@code {"buckets":[…]}}, by name, at most
 *       {@link dev.canopy.storage.directory.DirectoryJson#BUCKETS_LISTED_MAX};
 *   <li>{@code PUT /v1/bucket-usage/{incarnation}/{hour}}, body {@code {"usage":[{bucket, account,
 *       tier1, tier2, bytesOut}]}} (the hour as the epoch second it starts at): 204 once stored; the
 *       absolute counts of that hour on that life of the node, replacing its earlier push;
 *   <li>{@code GET /v1/changes}: 200 {@code {source, credentials, buckets}}: counters that move
 *       whenever an access key or account (credentials) or a bucket (buckets) is written or removed
 *       anywhere in the cloud, counted by the answering controller since its start ({@code source}).
 * </ul>
 *
 * <p>400 for a malformed name or body, 404 for an unknown path, 405 for a wrong method, 413 for
 * an oversized body, 503 when the grid cannot answer or the server is saturated; never a stack
 * trace. A client moves to the next controller on a 5xx or no answer.
 *
 * <p>Cache rules (see {@link dev.canopy.storage.directory.RemoteDirectory}): found entries up to
 * 60 s but dropped within about a second of a change; misses 0.5 s; own writes at once.
 */
package dev.canopy.storage.directory;
