/**
 * The tenant usage API on the console port ({@code /api/usage/...}): an instance's metered series for
 * graphs and an account's month in totals and cost. A tenant signs with its own keys (SigV4, service
 * {@code canopy}) and reads only its own account; the administrator reads any. See docs/billing.md.
 */
package dev.canopy.cloud.usageapi;
