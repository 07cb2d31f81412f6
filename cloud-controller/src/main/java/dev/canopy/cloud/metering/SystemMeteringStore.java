package dev.canopy.cloud.metering;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.canopy.cloud.metering.usage.AccountDay;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.InstanceHour;
import dev.canopy.cloud.metering.usage.MeteredInstance;
import dev.canopy.cloud.metering.usage.MeteringStore;
import dev.canopy.cloud.metering.usage.MeteringWrites;
import dev.canopy.cloud.metering.usage.MonthIndex;
import dev.canopy.storage.internal.BinaryEnvelope;
import dev.canopy.storage.local.SystemStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The metering store on the controllers' durable store (the replicated KV store's system buckets
 * in a cluster), one record per key, apart from the grid's maps: nothing here is loaded into
 * memory at start. Instance-days, ledgers and account days are binary ({@link MeteringRecords}) in a {@link
 * BinaryEnvelope}, the small records JSON in a fenced envelope ({@code {"epoch":n,"value":…}}); each is written under
 * the lease holder's epoch; the storage side refuses a write under an epoch older than the newest
 * minted ({@link #NAMESPACES} are on its list of fenced namespaces).
 */
public final class SystemMeteringStore implements MeteringStore {

  /** Instance-days of series blocks, keyed {@code instanceId/yyyy-mm-dd}. */
  public static final String DAYS = "metering-days";
  /** Instance-hours of series blocks (days not sealed yet), keyed {@code instanceId/yyyy-mm-ddThh}. */
  public static final String HOURS = "metering-hours";
  /** Account-month ledgers, keyed {@code accountId/yyyy-mm}. */
  public static final String LEDGERS = "metering-ledgers";
  /** Account days not sealed into their ledgers yet, keyed {@code accountId/yyyy-mm-dd}. */
  public static final String ACCOUNT_DAYS = "metering-account-days";
  /** Metered instances, keyed by instance id. */
  public static final String INSTANCES = "metering-instances";
  /** Month indexes, keyed {@code yyyy-mm}. */
  public static final String MONTHS = "metering-months";
  /** The aggregator's own progress. */
  public static final String STATE = "metering-state";
  public static final Set<String> NAMESPACES = Set.of(DAYS, HOURS, LEDGERS, ACCOUNT_DAYS, INSTANCES, MONTHS, STATE);
  private static final String RUN_TIME_THROUGH = "run-time-folded-through";
  private static final String ACCOUNT_DAYS_SEALED_THROUGH = "account-days-sealed-through";

  /** The fields of {@code FencedEnvelope}'s shape. */
  private static final String EPOCH = "epoch";
  private static final String VALUE = "value";
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final SystemStore store;
  private final LongSupplier epoch;

  /** @param epoch the writer's fencing epoch, read at each write */
  public SystemMeteringStore(SystemStore store, LongSupplier epoch) {
    this.store = store;
    this.epoch = epoch;
  }

  @Override
  public Optional<InstanceDay> dayRecord(String instanceId, LocalDate day) {
    return readBinary(DAYS, instanceId + "/" + day, MeteringRecords::decodeDay);
  }

  @Override
  public Optional<InstanceHour> hour(String instanceId, long hourStart) {
    return readBinary(HOURS, hourKey(instanceId, hourStart), MeteringRecords::decodeHour);
  }

  /** One {@link SystemStore#getAll} for every hour asked. */
  @Override
  public Map<String, Map<Long, InstanceHour>> hours(Map<String, ? extends Collection<Long>> hourStarts) {
    Map<String, Map.Entry<String, Long>> hourOfKey = new HashMap<>();
    hourStarts.forEach((instanceId, starts) -> {
      for (long hourStart : starts) {
        hourOfKey.put(hourKey(instanceId, hourStart), Map.entry(instanceId, hourStart));
      }
    });
    Map<String, Map<Long, InstanceHour>> found = new HashMap<>();
    if (hourOfKey.isEmpty()) {
      return found;
    }
    store.getAll(HOURS, hourOfKey.keySet()).forEach((key, bytes) -> {
      Map.Entry<String, Long> hour = hourOfKey.get(key);
      found.computeIfAbsent(hour.getKey(), i -> new HashMap<>())
          .put(hour.getValue(), decode(HOURS, key, bytes, MeteringRecords::decodeHour));
    });
    return found;
  }

  /** {@code instanceId/yyyy-mm-ddThh}: an instance's hours sort together, in time order. */
  static String hourKey(String instanceId, long hourStart) {
    String at = Instant.ofEpochSecond(hourStart).toString();
    // Instant's form is yyyy-mm-ddThh:mm:ssZ for the years the metering store holds.
    return instanceId + "/" + at.substring(0, at.indexOf(':'));
  }

  @Override
  public Optional<AccountMonth> month(String accountId, YearMonth month) {
    return readBinary(LEDGERS, accountId + "/" + month, MeteringRecords::decodeLedger);
  }

  /** One {@link SystemStore#getAll} for every account's ledger. */
  @Override
  public Map<String, AccountMonth> months(Collection<String> accountIds, YearMonth month) {
    return readAllBinary(LEDGERS, accountIds, "/" + month, MeteringRecords::decodeLedger);
  }

  /** One {@link SystemStore#getAll}, and of each ledger only its adjustments decoded. */
  @Override
  public Map<String, List<AccountMonth.Adjustment>> adjustments(Collection<String> accountIds, YearMonth month) {
    return readAllBinary(LEDGERS, accountIds, "/" + month, MeteringRecords::decodeLedgerAdjustments);
  }

  /** One {@link SystemStore#getAll} for every account's day record. */
  @Override
  public Map<String, AccountDay> accountDays(Collection<String> accountIds, LocalDate day) {
    return readAllBinary(ACCOUNT_DAYS, accountIds, "/" + day, MeteringRecords::decodeAccountDay);
  }

  @Override
  public Optional<AccountDay> accountDay(String accountId, LocalDate day) {
    return readBinary(ACCOUNT_DAYS, accountId + "/" + day, MeteringRecords::decodeAccountDay);
  }

  @Override
  public Optional<LocalDate> accountDaysSealedThrough() {
    return read(STATE, ACCOUNT_DAYS_SEALED_THROUGH, LocalDate.class);
  }

  @Override
  public Optional<MeteredInstance> instance(String instanceId) {
    return read(INSTANCES, instanceId, MeteredInstance.class);
  }

  /** One {@link SystemStore#getAll} for every instance asked. */
  @Override
  public Map<String, MeteredInstance> instances(Collection<String> instanceIds) {
    Map<String, MeteredInstance> found = new HashMap<>();
    if (!instanceIds.isEmpty()) {
      store.getAll(INSTANCES, instanceIds).forEach((key, bytes) -> found.put(key, parse(INSTANCES, key, bytes, MeteredInstance.class)));
    }
    return found;
  }

  @Override
  public List<MeteredInstance> instances() {
    return store.loadAll(INSTANCES).entrySet().stream()
        .map(e -> parse(INSTANCES, e.getKey(), e.getValue(), MeteredInstance.class)).toList();
  }

  @Override
  public Optional<MonthIndex> monthIndex(YearMonth month) {
    return read(MONTHS, month.toString(), MonthIndex.class);
  }

  @Override
  public Optional<Instant> runTimeFoldedThrough() {
    return read(STATE, RUN_TIME_THROUGH, Instant.class);
  }

  @Override
  public void put(InstanceDay day) {
    SystemStore.Write record = record(day);
    store.put(record.namespace(), record.key(), record.value());
  }

  @Override
  public void put(InstanceHour hour) {
    SystemStore.Write record = record(hour);
    store.put(record.namespace(), record.key(), record.value());
  }

  @Override
  public void deleteHours(String instanceId, Collection<Long> hourStarts) {
    for (long hour : hourStarts) {
      store.delete(HOURS, hourKey(instanceId, hour));
    }
  }

  @Override
  public void put(AccountMonth month) {
    SystemStore.Write record = record(month);
    store.put(record.namespace(), record.key(), record.value());
  }

  @Override
  public void put(AccountDay day) {
    SystemStore.Write record = record(day);
    store.put(record.namespace(), record.key(), record.value());
  }

  @Override
  public void putAccountDaysSealedThrough(LocalDate day) {
    write(STATE, ACCOUNT_DAYS_SEALED_THROUGH, day);
  }

  @Override
  public void deleteAccountDays(String accountId, Collection<LocalDate> days) {
    for (LocalDate day : days) {
      store.delete(ACCOUNT_DAYS, accountId + "/" + day);
    }
  }

  @Override
  public void put(MeteredInstance instance) {
    write(INSTANCES, instance.instanceId(), instance);
  }

  @Override
  public void put(MonthIndex index) {
    write(MONTHS, index.month().toString(), index);
  }

  @Override
  public void putRunTimeFoldedThrough(Instant hour) {
    write(STATE, RUN_TIME_THROUGH, hour);
  }

  /** One {@link SystemStore#putAll}: on a local store one synced write, over the internal KV one request. */
  @Override
  public void putAll(MeteringWrites writes) {
    List<SystemStore.Write> records = new ArrayList<>();
    writes.days().forEach(d -> records.add(record(d)));
    writes.hours().forEach(h -> records.add(record(h)));
    writes.instances().forEach(i -> records.add(record(INSTANCES, i.instanceId(), i)));
    writes.indexes().forEach(i -> records.add(record(MONTHS, i.month().toString(), i)));
    writes.accountDays().forEach(d -> records.add(record(d)));
    writes.months().forEach(m -> records.add(record(m)));
    if (writes.runTimeFoldedThrough() != null) {
      records.add(record(STATE, RUN_TIME_THROUGH, writes.runTimeFoldedThrough()));
    }
    store.putAll(records);
  }

  private SystemStore.Write record(InstanceDay day) {
    return new SystemStore.Write(DAYS, day.instanceId() + "/" + day.day(), BinaryEnvelope.wrap(epoch.getAsLong(), MeteringRecords.encode(day)));
  }

  private SystemStore.Write record(InstanceHour hour) {
    return new SystemStore.Write(HOURS, hourKey(hour.instanceId(), hour.hourStart()),
        BinaryEnvelope.wrap(epoch.getAsLong(), MeteringRecords.encode(hour)));
  }

  private SystemStore.Write record(AccountMonth ledger) {
    return new SystemStore.Write(LEDGERS, ledger.accountId() + "/" + ledger.month(),
        BinaryEnvelope.wrap(epoch.getAsLong(), MeteringRecords.encode(ledger)));
  }

  private SystemStore.Write record(AccountDay day) {
    return new SystemStore.Write(ACCOUNT_DAYS, day.accountId() + "/" + day.day(),
        BinaryEnvelope.wrap(epoch.getAsLong(), MeteringRecords.encode(day)));
  }

  private <T> Optional<T> readBinary(String namespace, String key, java.util.function.Function<byte[], T> decode) {
    return store.get(namespace, key).map(bytes -> decode(namespace, key, bytes, decode));
  }

  private static <T> T decode(String namespace, String key, byte[] bytes, java.util.function.Function<byte[], T> decode) {
    try {
      return decode.apply(BinaryEnvelope.valueOf(bytes));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("metering record " + namespace + "/" + key + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** The records keyed {@code accountId + suffix} of every account that has one, by account, in one read. */
  private <T> Map<String, T> readAllBinary(String namespace, Collection<String> accountIds, String suffix,
      java.util.function.Function<byte[], T> decode) {
    Map<String, String> accountOfKey = new HashMap<>();
    for (String accountId : accountIds) {
      accountOfKey.put(accountId + suffix, accountId);
    }
    Map<String, T> found = new HashMap<>();
    store.getAll(namespace, accountOfKey.keySet()).forEach((key, bytes) -> found.put(accountOfKey.get(key), decode(namespace, key, bytes, decode)));
    return found;
  }

  private <T> Optional<T> read(String namespace, String key, Class<T> type) {
    return store.get(namespace, key).map(bytes -> parse(namespace, key, bytes, type));
  }

  /** The envelope's value read in one streaming pass, straight into the record (no tree in between). */
  private static <T> T parse(String namespace, String key, byte[] bytes, Class<T> type) {
    try (JsonParser parser = JSON.getFactory().createParser(bytes)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          boolean isValue = VALUE.equals(parser.currentName());
          parser.nextToken();
          if (isValue) {
            return JSON.readValue(parser, type);
          }
          parser.skipChildren();
        }
      }
      throw new IllegalStateException("metering record " + namespace + "/" + key + " is not a fenced record");
    } catch (IOException e) {
      throw new IllegalStateException("metering record " + namespace + "/" + key + " is not a " + type.getSimpleName(), e);
    }
  }

  private void write(String namespace, String key, Object value) {
    SystemStore.Write record = record(namespace, key, value);
    store.put(record.namespace(), record.key(), record.value());
  }

  private SystemStore.Write record(String namespace, String key, Object value) {
    try {
      // FencedEnvelope's shape, written in one pass: the epoch first, where the store's fence reads it.
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
        json.writeStartObject();
        json.writeNumberField(EPOCH, epoch.getAsLong());
        json.writeFieldName(VALUE);
        JSON.writeValue(json, value);
        json.writeEndObject();
      }
      return new SystemStore.Write(namespace, key, out.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("metering record " + namespace + "/" + key + " cannot be written as JSON", e);
    }
  }
}
