/**
 * Benchmarks of the metering store and billing (JMH, run by {@code JMH_MODULE=cloud-controller bench/jmh.sh}):
 * the aggregator's fold on the real store (RocksDB behind the epoch fence) and in memory, the usage API's
 * reads (one VM's month, a sample not folded yet) and a month's FOCUS reports for every account. Figures
 * and how to re-run them are in docs/benchmarks.md, "Metering store and billing".
 */
package dev.canopy.cloud.metering.usage.bench;
