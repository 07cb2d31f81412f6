/**
 * Per-bucket metering on the lease holder, in the style of Riak CS (access stats per node and
 * hour, plus a periodic storage calculation): {@link dev.canopy.cloud.metering.buckets.BucketUsagePushes}
 * keeps what storage nodes push to the directory (grid map {@code bucket-usage}, one absolute record
 * per hour and node life), {@link dev.canopy.cloud.metering.buckets.RequestFold} sums them into
 * absolute request and bytes-out rows of the owners' month ledgers, and
 * {@link dev.canopy.cloud.metering.buckets.StorageSampling} measures every bucket's bytes through a
 * storage node and writes byte-hours (grid map {@code bucket-storage}: each bucket's latest
 * measurement). Ledger writes go through {@code metering.usage.LedgerWriter}, so a closed month
 * gets adjustments exactly as instance usage does.
 */
package dev.canopy.cloud.metering.buckets;
