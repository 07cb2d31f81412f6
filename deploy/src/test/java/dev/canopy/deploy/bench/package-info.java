/**
 * Load generators that benchmarks under {@code bench/} run against a cloud started from the built
 * jar (not tests: nothing here asserts a speed). {@link dev.canopy.deploy.bench.MeteringScaleLoad}
 * simulates node agents' metering for {@code bench/metering-scale.sh}.
 */
package dev.canopy.deploy.bench;
