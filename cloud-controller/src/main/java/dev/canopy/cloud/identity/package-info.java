/**
 * Tenants (accounts) and their access keys, the administrator's key, and the credential lookup
 * that signature checks use. Pure domain over {@link dev.canopy.cloud.grid.Table}s: no grid or
 * HTTP types.
 */
package dev.canopy.cloud.identity;
