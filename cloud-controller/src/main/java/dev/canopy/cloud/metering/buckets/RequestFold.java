package dev.canopy.cloud.metering.buckets;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.storage.usage.BucketUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lease holder's fold of storage nodes' bucket usage pushes: every record of {@value
 * BucketUsagePushes#MAP} is summed per account, bucket and hour (the lives of every node add up),
 * and the sums become absolute {@code REQUESTS_TIER1}, {@code REQUESTS_TIER2} and {@code
 * BUCKET_BYTES_OUT} rows of the account's month ledger. Absolute rows make a pass harmless to
 * repeat. Records of hours that ended more than {@link #RECORDS_KEPT_AFTER_HOUR} ago are folded
 * once more and removed; from then on a row of that hour is never lowered, since the records it
 * was summed from are gone: a push that arrives even later (a node cut off from every controller
 * for hours) can only raise the row to its own counts, so part of it may be lost, and it is counted
 * in {@link Pass#late()}.
 */
public final class RequestFold {

  private static final Duration HOUR = Duration.ofHours(1);
  /** Storage nodes push every few seconds; two hours after an hour ended its counts are final. */
  public static final Duration RECORDS_KEPT_AFTER_HOUR = Duration.ofHours(2);

  /** What a pass did. @param late records that arrived after their hour's records were removed */
  public record Pass(int records, int rows, int removed, int late, LedgerWriter.Written written) {}

  private record Key(String account, String bucket, Instant hour) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = account.compareTo(o.account);
      c = c != 0 ? c : bucket.compareTo(o.bucket);
      return c != 0 ? c : hour.compareTo(o.hour);
    }
  }

  private final Table<BucketUsageRecord> records;
  private final LedgerWriter ledgers;

  public RequestFold(Table<BucketUsageRecord> records, LedgerWriter ledgers) {
    this.records = records;
    this.ledgers = ledgers;
  }

  public RequestFold(BucketUsagePushes pushes, LedgerWriter ledgers) {
    this(pushes.table(), ledgers);
  }

  public Pass fold(Instant now) {
    List<BucketUsageRecord> all = records.values(r -> true);
    Map<Key, long[]> sums = new TreeMap<>();
    List<BucketUsageRecord> expired = new ArrayList<>();
    int late = 0;
    for (BucketUsageRecord record : all) {
      Instant removeFrom = record.hour().plus(HOUR).plus(RECORDS_KEPT_AFTER_HOUR);
      if (!now.isBefore(removeFrom)) {
        expired.add(record);
        if (!record.receivedAt().isBefore(removeFrom)) {
          late++;
        }
      }
      for (BucketUsage u : record.usage()) {
        long[] sum = sums.computeIfAbsent(new Key(u.account(), u.bucket(), record.hour()), k -> new long[3]);
        sum[0] = Math.addExact(sum[0], u.tier1());
        sum[1] = Math.addExact(sum[1], u.tier2());
        sum[2] = Math.addExact(sum[2], u.bytesOut());
      }
    }
    LedgerWriter.Rows rows = new LedgerWriter.Rows();
    int[] count = {0};
    sums.forEach((key, sum) -> {
      boolean expiring = !now.isBefore(key.hour().plus(HOUR).plus(RECORDS_KEPT_AFTER_HOUR));
      UsageType[] types = {UsageType.REQUESTS_TIER1, UsageType.REQUESTS_TIER2, UsageType.BUCKET_BYTES_OUT};
      for (int i = 0; i < types.length; i++) {
        if (sum[i] == 0) {
          continue;
        }
        AccountMonth.Row row = new AccountMonth.Row(key.bucket(), types[i], null, key.hour(), sum[i]);
        if (expiring) {
          // Some records of this hour may be gone already: the sum may be partial, never lower the row.
          long stored = ledgers.stored(key.account(), row);
          row = new AccountMonth.Row(key.bucket(), types[i], null, key.hour(), Math.max(stored, sum[i]));
        }
        rows.add(key.account(), row);
        count[0]++;
      }
    });
    LedgerWriter.Written written = ledgers.write(rows, now);
    // Only after their rows are stored: a holder that dies before leaves them to the next one.
    for (BucketUsageRecord record : expired) {
      // Conditional: a push of the same key stored meanwhile stays for the next pass.
      records.remove(BucketUsageRecord.key(record.hour(), record.incarnation()), record);
    }
    return new Pass(all.size(), count[0], expired.size(), late, written);
  }
}
