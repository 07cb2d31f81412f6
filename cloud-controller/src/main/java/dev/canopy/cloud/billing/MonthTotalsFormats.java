package dev.canopy.cloud.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The month-end billing run's totals as the operator downloads them: every account's month, one row
 * per account, resource and SKU (a correction of earlier months apart), in FOCUS column names where
 * FOCUS has one. The money is {@link MonthTotals}': each account's sum equals its FOCUS report's.
 */
public final class MonthTotalsFormats {

  static final List<String> COLUMNS = List.of("BillingPeriodStart", "BillingPeriodEnd", "BillingAccountId", "BillingAccountName",
      "ResourceId", "ResourceType", "ServiceName", "SkuId", "ChargeClass", "ConsumedQuantity", "ConsumedUnit", "BilledCost",
      "BillingCurrency");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private MonthTotalsFormats() {}

  /** @param names account names by id (an account deleted since has none: its id is shown alone) */
  public static void writeCsv(YearMonth month, List<MonthTotals> run, Map<String, String> names, String currency, Writer out) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    COLUMNS.forEach(schema::addColumn);
    String start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    String end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    List<String[]> rows = new ArrayList<>();
    for (MonthTotals account : run) {
      for (MonthTotals.Total total : account.totals()) {
        rows.add(new String[] {start, end, account.accountId(), names.get(account.accountId()), total.resourceId(),
            total.type().resourceType(), total.type().serviceName(), total.skuId(), total.correction() ? "Correction" : null,
            Long.toString(total.consumedQuantity()), total.type().consumedUnit(), total.billedCost().toPlainString(), currency});
      }
    }
    try {
      CSV.writer(schema.build()).writeValues(out).writeAll(rows).close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void writeJson(YearMonth month, List<MonthTotals> run, Map<String, String> names, String currency, Writer out) {
    ObjectNode root = JSON.createObjectNode()
        .put("BillingPeriod", month.toString())
        .put("BillingCurrency", currency)
        .put("BilledCost", run.stream().map(MonthTotals::billedCost)
            .reduce(BigDecimal.ZERO.setScale(FocusReport.COST_SCALE), BigDecimal::add).toPlainString());
    ArrayNode accounts = root.putArray("accounts");
    for (MonthTotals account : run) {
      ObjectNode node = accounts.addObject()
          .put("BillingAccountId", account.accountId())
          .put("BillingAccountName", names.get(account.accountId()))
          .put("BilledCost", account.billedCost().toPlainString());
      ArrayNode totals = node.putArray("totals");
      for (MonthTotals.Total total : account.totals()) {
        totals.addObject()
            .put("ResourceId", total.resourceId())
            .put("ResourceType", total.type().resourceType())
            .put("SkuId", total.skuId())
            .put("Correction", total.correction())
            .put("ConsumedQuantity", total.consumedQuantity())
            .put("ConsumedUnit", total.type().consumedUnit())
            .put("BilledCost", total.billedCost().toPlainString());
      }
    }
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
