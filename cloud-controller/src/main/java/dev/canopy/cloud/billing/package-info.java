/**
 * Bills: an account's hourly usage priced by the operator's {@link
 * dev.canopy.cloud.billing.PriceSheet} into a {@link dev.canopy.cloud.billing.FocusReport}, one
 * line per resource, SKU and UTC hour in FinOps FOCUS 1.x column names, written as CSV or JSON by
 * {@link dev.canopy.cloud.billing.FocusFormats}.
 *
 * <p>Pure: no grid, no clock, no store. Guarantees: quantities are the meter's exact counts, so a
 * bill's rows add up to the metered totals exactly; decimals have fixed scales and one stated
 * rounding (half-even, per row); line ids are deterministic. Where the hourly usage comes from (the
 * metering store's roll-ups) and the {@code canopy billing report} command are not built yet.
 */
package dev.canopy.cloud.billing;
