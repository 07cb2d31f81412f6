package dev.canopy.cloud.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of a bill in the FinOps FOCUS 1.x column names: one resource's usage of one SKU in one
 * UTC hour. Decimals have fixed scales ({@link FocusReport#QUANTITY_SCALE}, {@link
 * FocusReport#COST_SCALE}); times are UTC instants; {@code x_LineId} is a deterministic id of the
 * line (the same usage always gets the same id, so a re-run report diffs cleanly).
 */
@JsonPropertyOrder({
    "x_LineId", "BillingAccountId", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
    "ChargeCategory", "ChargeClass", "ChargeFrequency", "ChargeDescription", "ProviderName", "PublisherName", "InvoiceIssuerName",
    "ServiceName", "ServiceCategory", "ResourceId", "ResourceType", "SkuId", "ConsumedQuantity", "ConsumedUnit",
    "PricingQuantity", "PricingUnit", "ListUnitPrice", "ListCost", "BilledCost", "EffectiveCost", "BillingCurrency",
    "Tags"})
public record FocusRow(
    @JsonProperty("x_LineId") String lineId,
    @JsonProperty("BillingAccountId") String billingAccountId,
    @JsonProperty("BillingPeriodStart") String billingPeriodStart,
    @JsonProperty("BillingPeriodEnd") String billingPeriodEnd,
    @JsonProperty("ChargePeriodStart") String chargePeriodStart,
    @JsonProperty("ChargePeriodEnd") String chargePeriodEnd,
    @JsonProperty("ChargeCategory") String chargeCategory,
    @JsonProperty("ChargeClass") String chargeClass,
    @JsonProperty("ChargeFrequency") String chargeFrequency,
    @JsonProperty("ChargeDescription") String chargeDescription,
    @JsonProperty("ProviderName") String providerName,
    @JsonProperty("PublisherName") String publisherName,
    @JsonProperty("InvoiceIssuerName") String invoiceIssuerName,
    @JsonProperty("ServiceName") String serviceName,
    @JsonProperty("ServiceCategory") String serviceCategory,
    @JsonProperty("ResourceId") String resourceId,
    @JsonProperty("ResourceType") String resourceType,
    @JsonProperty("SkuId") String skuId,
    @JsonProperty("ConsumedQuantity") long consumedQuantity,
    @JsonProperty("ConsumedUnit") String consumedUnit,
    @JsonProperty("PricingQuantity") BigDecimal pricingQuantity,
    @JsonProperty("PricingUnit") String pricingUnit,
    @JsonProperty("ListUnitPrice") BigDecimal listUnitPrice,
    @JsonProperty("ListCost") BigDecimal listCost,
    @JsonProperty("BilledCost") BigDecimal billedCost,
    @JsonProperty("EffectiveCost") BigDecimal effectiveCost,
    @JsonProperty("BillingCurrency") String billingCurrency,
    @JsonProperty("Tags") Map<String, String> tags) {

  public FocusRow {
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }
}
