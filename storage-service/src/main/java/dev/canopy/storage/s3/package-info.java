/**
 * The S3 REST API of a storage process, on Vert.x. {@link dev.canopy.storage.s3.S3Server} binds
 * the port, authenticates every request with SigV4, routes it ({@link
 * dev.canopy.storage.s3.S3Router}) and hands it to one handler class per resource family
 * (buckets, objects, multipart uploads), each action being parse → one backend or registry call
 * (on a worker thread) → render. Bodies stream in and out with backpressure, never whole in
 * memory. The bucket registry ({@link dev.canopy.storage.s3.BucketRegistry}) is the cloud-wide
 * name service the controller implements on the grid.
 */
package dev.canopy.storage.s3;
