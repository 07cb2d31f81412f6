package dev.canopy.cloud.billing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * List prices per SKU, each per its usage type's pricing unit (an instance type per hour, a GB in
 * or out, a GB-month, 1,000 requests), in one currency. A SKU without a price is billed at zero
 * and still reported, so its usage stays visible to finance.
 */
public record PriceSheet(String currency, Map<String, BigDecimal> pricesBySku) {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public PriceSheet {
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("a currency is an ISO 4217 code such as USD, got " + currency);
    }
    pricesBySku = Map.copyOf(Objects.requireNonNull(pricesBySku, "pricesBySku"));
    pricesBySku.forEach((sku, price) -> {
      if (price.signum() < 0) {
        throw new IllegalArgumentException("price of " + sku + " is negative: " + price);
      }
    });
  }

  BigDecimal price(String skuId) {
    return pricesBySku.getOrDefault(skuId, BigDecimal.ZERO);
  }
}
