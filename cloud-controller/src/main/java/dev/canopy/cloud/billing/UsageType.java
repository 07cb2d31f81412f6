package dev.canopy.cloud.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Canopy bills, with the unit it is metered in (an exact count: bytes, seconds, requests,
 * byte-hours) and the unit it is priced in. Directions are the VM's: {@link #NETWORK_IN} is what a
 * guest received.
 */
public enum UsageType {
  INSTANCE_SECONDS("BoxUsage", "Compute", "Instance", "Seconds", "Hours"),
  NETWORK_IN("DataTransfer-In-Bytes", "Networking", "Instance", "Bytes", "GB"),
  NETWORK_OUT("DataTransfer-Out-Bytes", "Networking", "Instance", "Bytes", "GB"),
  STORAGE_BYTE_HOURS("TimedStorage-ByteHrs", "Storage", "Bucket", "Byte-Hours", "GB-Month"),
  REQUESTS_TIER1("Requests-Tier1", "Storage", "Bucket", "Requests", "1000 Requests"),
  REQUESTS_TIER2("Requests-Tier2", "Storage", "Bucket", "Requests", "1000 Requests"),
  BUCKET_BYTES_OUT("DataTransfer-Out-Bytes", "Networking", "Bucket", "Bytes", "GB");

  /** A GB as AWS bills data and storage: 2^30 bytes. */
  static final long BYTES_PER_GB = 1L << 30;
  private static final long SECONDS_PER_HOUR = 3600;
  private static final long REQUESTS_PER_UNIT = 1000;

  private final String skuPrefix;
  private final String serviceCategory;
  private final String resourceType;
  private final String consumedUnit;
  private final String pricingUnit;

  UsageType(String skuPrefix, String serviceCategory, String resourceType, String consumedUnit, String pricingUnit) {
    this.skuPrefix = skuPrefix;
    this.serviceCategory = serviceCategory;
    this.resourceType = resourceType;
    this.consumedUnit = consumedUnit;
    this.pricingUnit = pricingUnit;
  }

  /** The SKU: instance hours are priced per instance type ({@code BoxUsage:m1.small}). */
  public String skuId(String instanceType) {
    if (this == INSTANCE_SECONDS) {
      if (instanceType == null || instanceType.isBlank()) {
        throw new IllegalArgumentException("instance usage needs its instance type");
      }
      return skuPrefix + ":" + instanceType;
    }
    return resourceType.equals("Bucket") ? "S3-" + skuPrefix : skuPrefix;
  }

  /** Every SKU a cloud offering {@code instanceTypes} can bill: one per instance type, and one per other usage type. */
  public static Set<String> skuIds(Collection<String> instanceTypes) {
    Set<String> skus = new TreeSet<>();
    for (UsageType type : values()) {
      if (type == INSTANCE_SECONDS) {
        instanceTypes.forEach(name -> skus.add(type.skuId(name)));
      } else {
        skus.add(type.skuId(null));
      }
    }
    return skus;
  }

  public String serviceName() {
    return resourceType.equals("Bucket") ? "Canopy S3" : "Canopy EC2";
  }

  public String serviceCategory() {
    return serviceCategory;
  }

  public String resourceType() {
    return resourceType;
  }

  public String consumedUnit() {
    return consumedUnit;
  }

  public String pricingUnit() {
    return pricingUnit;
  }

  /**
   * Consumed units per pricing unit. Exact: powers of two and of ten, and for storage the hours of
   * the billing month times a GB (a GB-month is a GB kept all month, as AWS counts it).
   */
  BigDecimal consumedPerPricingUnit(YearMonth billingPeriod) {
    return switch (this) {
      case INSTANCE_SECONDS -> BigDecimal.valueOf(SECONDS_PER_HOUR);
      case NETWORK_IN, NETWORK_OUT, BUCKET_BYTES_OUT -> BigDecimal.valueOf(BYTES_PER_GB);
      case STORAGE_BYTE_HOURS ->
          BigDecimal.valueOf(BYTES_PER_GB).multiply(BigDecimal.valueOf(billingPeriod.lengthOfMonth() * 24L));
      case REQUESTS_TIER1, REQUESTS_TIER2 -> BigDecimal.valueOf(REQUESTS_PER_UNIT);
    };
  }
}
