/**
 * The storage role ({@link dev.canopy.deploy.storage.StorageRole}) and {@code canopy storage},
 * the process that runs it alone: S3 for tenants (keys and buckets from the controllers'
 * directory) and the controllers' durable store over mutual TLS, on the data {@code canopy init}
 * seeded.
 */
package dev.canopy.deploy.storage;
