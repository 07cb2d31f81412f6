/**
 * S3 objects on the replicated key-value store, in the style of Riak CS: {@link
 * dev.canopy.storage.objects.KvObjectBackend} keeps each object's bytes as immutable 1 MiB chunks
 * of a randomly named blob and publishes the object with one manifest write, so every storage node
 * serves the same objects and losing a node loses nothing acknowledged. Blobs that no manifest or
 * part names any more (overwritten, deleted, abandoned mid-upload, losing siblings) are found
 * through records in a garbage-collection bucket and deleted after a leeway by {@link
 * dev.canopy.storage.objects.KvObjectBackend#collectGarbage()}.
 *
 * <p>KV buckets (see {@link dev.canopy.storage.objects.KvLayout}): manifests per namespace with
 * {@code allow_mult} (siblings resolve on read), uploads per namespace, and one bucket each for
 * chunks, parts and garbage-collection records. The rules the S3 API needs (listing, multipart
 * validation, conditions) come from {@code dev.canopy.storage.backend}; this package is an adapter
 * over the {@link dev.canopy.storage.kv.KvService} contract only.
 */
package dev.canopy.storage.objects;
