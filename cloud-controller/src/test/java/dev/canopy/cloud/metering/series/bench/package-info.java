/**
 * Benchmarks of the metering series codec (JMH, run by {@code JMH_MODULE=cloud-controller bench/jmh.sh}),
 * the synthetic vNIC traces they run on, and the Gorilla-style XOR encoder they compare against. The
 * Gorilla peer lives only here: Canopy never stores counters as doubles.
 */
package dev.canopy.cloud.metering.series.bench;
