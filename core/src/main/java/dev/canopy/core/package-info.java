/**
 * The lowest module: building blocks every other module uses, on plain Java 17 (no Vert.x,
 * Hazelcast, RocksDB or libvirt). {@code time} is the one clock and the one way to wait,
 * {@code files} the one durable file write, {@code cloud} the limits that hold across modules,
 * {@code tls} the one check of a mutual-TLS peer's certificate.
 */
package dev.canopy.core;
