package dev.canopy.deploy.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.compute.InstanceType;
import dev.canopy.cloud.compute.InstanceTypes;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The price sheet bills are made with ({@code billing:}): a currency and a list price per SKU, each
 * in its SKU's pricing unit (an instance type per hour, a GB in or out, a GB-month, 1,000
 * requests). Given prices replace the whole default sheet; a SKU left out is billed at zero and
 * still reported. A bad value names its key ({@code billing.currency}, {@code billing.prices.SKU}).
 *
 * @param currency an ISO 4217 code (default {@value #CURRENCY_DEFAULT})
 * @param prices price per SKU (see {@link UsageType#skuIds}); default {@link #PRICES_DEFAULT}
 */
public record Billing(String currency, @JsonDeserialize(contentUsing = PriceText.class) Map<String, BigDecimal> prices) {

  public static final String CURRENCY_DEFAULT = "USD";

  /** Example prices, about AWS's on-demand list prices: an operator sets their own. */
  public static final Map<String, BigDecimal> PRICES_DEFAULT = examplePrices();

  public Billing {
    currency = currency == null ? CURRENCY_DEFAULT : currency;
    if (!isIsoCurrency(currency)) {
      throw new ConfigException("billing.currency", "'" + currency + "' is not an ISO 4217 currency code such as USD or EUR");
    }
    prices = prices == null ? PRICES_DEFAULT : new LinkedHashMap<>(prices);
    Set<String> skus = UsageType.skuIds(InstanceTypes.defaults().all().stream().map(InstanceType::name).toList());
    for (Map.Entry<String, BigDecimal> price : prices.entrySet()) {
      String key = "billing.prices." + price.getKey();
      if (!skus.contains(price.getKey())) {
        throw new ConfigException(key, "no such SKU; this cloud bills " + skus);
      }
      if (price.getValue() == null) {
        throw new ConfigException(key, "a price is a decimal number such as 0.0116");
      }
    }
    prices = Map.copyOf(prices);
  }

  public static Billing defaults() {
    return new Billing(null, null);
  }

  public PriceSheet priceSheet() {
    return new PriceSheet(currency, prices);
  }

  private static boolean isIsoCurrency(String code) {
    return Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code));
  }

  private static Map<String, BigDecimal> examplePrices() {
    Map<String, BigDecimal> prices = new LinkedHashMap<>();
    prices.put("BoxUsage:t3.nano", new BigDecimal("0.0052"));
    prices.put("BoxUsage:t3.micro", new BigDecimal("0.0104"));
    prices.put("BoxUsage:t3.small", new BigDecimal("0.0208"));
    prices.put("BoxUsage:t3.medium", new BigDecimal("0.0416"));
    prices.put("BoxUsage:m5.large", new BigDecimal("0.096"));
    prices.put("BoxUsage:m5.xlarge", new BigDecimal("0.192"));
    prices.put("BoxUsage:c5.large", new BigDecimal("0.085"));
    prices.put("DataTransfer-In-Bytes", new BigDecimal("0.00"));
    prices.put("DataTransfer-Out-Bytes", new BigDecimal("0.09"));
    prices.put("S3-TimedStorage-ByteHrs", new BigDecimal("0.023"));
    prices.put("S3-Requests-Tier1", new BigDecimal("0.005"));
    prices.put("S3-Requests-Tier2", new BigDecimal("0.0004"));
    prices.put("S3-DataTransfer-Out-Bytes", new BigDecimal("0.09"));
    return Map.copyOf(prices);
  }
}
