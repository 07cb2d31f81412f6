/**
 * Per-bucket metering on a storage node, in the style of Riak CS's access stats: every S3
 * request that named an existing bucket is counted in memory per bucket owner, bucket and UTC
 * hour ({@link dev.canopy.storage.usage.BucketUsageMeter}: tier-1 and tier-2 requests, bytes of
 * object reads sent), and {@link dev.canopy.storage.usage.UsagePusher} sends each hour's absolute
 * totals to the controllers' directory every {@code s3.usageFlushSeconds}, keyed by the node's
 * incarnation, until a push after the hour ended succeeded.
 */
package dev.canopy.storage.usage;
