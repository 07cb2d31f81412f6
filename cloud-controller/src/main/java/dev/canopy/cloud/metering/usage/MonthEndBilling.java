package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.billing.MonthTotals;
import dev.canopy.cloud.billing.PriceSheet;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The month-end billing run: every account the month's index lists, its month (ledger and the
 * corrections recorded in it, as {@link UsageQueries#month} reads them) priced into totals per
 * resource and SKU ({@link MonthTotals}). Accounts are read ({@link UsageQueries#months}, a few batched
 * reads a slice) and priced in slices on the caller's pool, so the reads overlap; the hourly FOCUS detail is {@code FocusReport}'s, per account on demand.
 */
public final class MonthEndBilling {

  /** Accounts per task: large enough that scheduling costs nothing, small enough to spread over the pool. */
  static final int ACCOUNTS_PER_TASK_MAX = 64;

  private final UsageQueries usage;

  public MonthEndBilling(UsageQueries usage) {
    this.usage = usage;
  }

  /**
   * Every listed account's totals, in account order. Blocking.
   *
   * @param pool runs the slices; its size bounds the reads in flight
   * @throws IllegalStateException when an account's month cannot be read or priced (the run is all or nothing)
   */
  public List<MonthTotals> run(YearMonth month, PriceSheet prices, ExecutorService pool) {
    List<String> accounts = usage.accountsBilledIn(month);
    List<Future<List<MonthTotals>>> slices = new ArrayList<>();
    for (int from = 0; from < accounts.size(); from += ACCOUNTS_PER_TASK_MAX) {
      List<String> slice = accounts.subList(from, Math.min(accounts.size(), from + ACCOUNTS_PER_TASK_MAX));
      slices.add(pool.submit(() -> {
        List<MonthTotals> priced = new ArrayList<>(slice.size());
        // A slice's months in a few batched reads, not thirteen reads an account.
        for (MonthUsage m : usage.months(slice, month)) {
          priced.add(MonthTotals.price(m.accountId(), month, m.usage(),
              m.corrections().stream().map(MonthUsage.Correction::change).toList(), prices));
        }
        return priced;
      }));
    }
    List<MonthTotals> all = new ArrayList<>(accounts.size());
    try {
      for (Future<List<MonthTotals>> slice : slices) {
        all.addAll(slice.get());
      }
    } catch (ExecutionException e) {
      slices.forEach(f -> f.cancel(true));
      throw new IllegalStateException("the billing run of " + month + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      slices.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the billing run of " + month + " was interrupted", e);
    }
    return all;
  }
}
