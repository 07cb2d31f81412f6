package dev.canopy.cloud.usageapi;

import dev.canopy.cloud.metering.usage.InstanceSeries;
import dev.canopy.cloud.metering.usage.MonthUsage;
import dev.canopy.cloud.metering.usage.Step;
import dev.canopy.cloud.metering.usage.UsageQueries;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage the routes read, as the tests set it: owners and series per instance, months per account
 * (an account with no month set has an empty, open one). Remembers each series query asked.
 */
public final class FakeUsage implements UsageQueries {

  /** One {@link #instanceSeries} call, as the route made it. */
  public record SeriesQuery(String instanceId, long fromSecond, long toSecond, Step step) {}

  private final Map<String, String> owners = new HashMap<>();
  private final Map<String, List<InstanceSeries.Line>> lines = new HashMap<>();
  private final Map<String, MonthUsage> months = new HashMap<>();
  public final List<SeriesQuery> seriesQueries = Collections.synchronizedList(new ArrayList<>());

  public FakeUsage instance(String instanceId, String ownerId, List<InstanceSeries.Line> series) {
    owners.put(instanceId, ownerId);
    lines.put(instanceId, series);
    return this;
  }

  public FakeUsage month(MonthUsage usage) {
    months.put(usage.accountId() + "/" + usage.month(), usage);
    return this;
  }

  @Override
  public Optional<String> ownerOf(String instanceId) {
    return Optional.ofNullable(owners.get(instanceId));
  }

  @Override
  public InstanceSeries instanceSeries(String instanceId, long fromSecond, long toSecond, Step step) {
    seriesQueries.add(new SeriesQuery(instanceId, fromSecond, toSecond, step));
    return new InstanceSeries(instanceId, fromSecond, toSecond, step, lines.getOrDefault(instanceId, List.of()));
  }

  @Override
  public List<String> accountsBilledIn(YearMonth month) {
    return months.values().stream().filter(m -> m.month().equals(month)).map(MonthUsage::accountId).sorted().toList();
  }

  @Override
  public MonthUsage month(String accountId, YearMonth month) {
    return months.getOrDefault(accountId + "/" + month, new MonthUsage(accountId, month, false, List.of(), List.of()));
  }
}
