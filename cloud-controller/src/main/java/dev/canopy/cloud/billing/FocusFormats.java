package dev.canopy.cloud.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FocusReport} as files finance reads: CSV with a header row of FOCUS column names
 * (RFC 4180 quoting; {@code Tags} a JSON object in one cell, as FOCUS defines it), or JSON (the
 * rows and the total, for the console). Decimals are written in plain notation at their fixed
 * scale, never as exponents.
 */
public final class FocusFormats {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final CsvMapper CSV = new CsvMapper();
  private static final List<String> COLUMNS =
      List.of(FocusRow.class.getAnnotation(com.fasterxml.jackson.annotation.JsonPropertyOrder.class).value());
  private static final CsvSchema CSV_SCHEMA = csvSchema();

  private FocusFormats() {}

  public static void writeCsv(FocusReport report, Writer out) {
    // Rows as arrays of cells in column order: a map per row made the CSV most of a report's cost.
    List<String[]> cells = report.rows().stream().map(FocusFormats::cellValues).toList();
    try {
      CSV.writer(CSV_SCHEMA).writeValues(out).writeAll(cells).close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void writeJson(FocusReport report, Writer out) {
    ObjectNode root = JSON.createObjectNode()
        .put("BillingAccountId", report.accountId())
        .put("BillingPeriod", report.month().toString())
        .put("BilledCost", report.totalBilledCost().toPlainString());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FocusRow row : report.rows()) {
      Map<String, Object> fields = new LinkedHashMap<>(cells(row));
      fields.put("Tags", row.tags());
      rows.add(fields);
    }
    root.set("rows", JSON.valueToTree(rows));
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The columns in FOCUS order, as {@link FocusRow} declares them. */
  static List<String> columns() {
    return COLUMNS;
  }

  private static CsvSchema csvSchema() {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    COLUMNS.forEach(schema::addColumn);
    return schema.build();
  }

  /** One row's cells by column name, in column order: see {@link #cellValues}. */
  private static Map<String, String> cells(FocusRow row) {
    String[] values = cellValues(row);
    Map<String, String> cells = new LinkedHashMap<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      cells.put(COLUMNS.get(i), values[i]);
    }
    return cells;
  }

  /**
   * One row's cells as text, in column order: decimals plain, tags one JSON object (keys sorted), a
   * null (ChargeClass of a regular row) null, which CSV writes as an empty cell.
   */
  private static String[] cellValues(FocusRow row) {
    Object[] values = {
        row.lineId(), row.billingAccountId(), row.billingPeriodStart(), row.billingPeriodEnd(),
        row.chargePeriodStart(), row.chargePeriodEnd(), row.chargeCategory(), row.chargeClass(), row.chargeFrequency(),
        row.chargeDescription(), row.providerName(), row.publisherName(), row.invoiceIssuerName(), row.serviceName(),
        row.serviceCategory(), row.resourceId(), row.resourceType(), row.skuId(), row.consumedQuantity(),
        row.consumedUnit(), row.pricingQuantity(), row.pricingUnit(), row.listUnitPrice(), row.listCost(),
        row.billedCost(), row.effectiveCost(), row.billingCurrency(), tagsJson(row)};
    String[] cells = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      cells[i] = value == null ? null : value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
    return cells;
  }

  private static String tagsJson(FocusRow row) {
    if (row.tags().isEmpty()) {
      return "{}"; // most rows: no JSON generator needed
    }
    try {
      return JSON.writeValueAsString(row.tags());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("tags of " + row.lineId() + " are strings", e);
    }
  }
}
