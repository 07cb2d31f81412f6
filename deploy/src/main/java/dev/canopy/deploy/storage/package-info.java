/**
 * {@code canopy storage}: the storage role, which for now serves the controllers' durable store
 * (the internal key-value endpoint over mutual TLS) on the data {@code canopy init} seeded.
 */
package dev.canopy.deploy.storage;
