/**
 * Bills: an account's hourly usage priced by the operator's {@link
 * dev.canopy.cloud.billing.PriceSheet} into a {@link dev.canopy.cloud.billing.FocusReport}, one
 * line per resource, SKU and UTC hour in FinOps FOCUS 1.x column names, written as CSV or JSON by
 * {@link dev.canopy.cloud.billing.FocusFormats}; or, for the month-end run, into {@link
 * dev.canopy.cloud.billing.MonthTotals} per resource and SKU, the same money without the hourly rows.
 *
 * <p>Pure: no grid, no clock, no store. Guarantees: quantities are the meter's exact counts, so a
 * bill's rows add up to the metered totals exactly; decimals have fixed scales and one stated
 * rounding (half-even, per row); line ids are deterministic. The hourly usage comes from the metering
 * store ({@code metering.usage.UsageQueries}); the admin API's report and {@code canopy billing report}
 * and the tenants' usage API price it with the config's sheet.
 */
package dev.canopy.cloud.billing;
