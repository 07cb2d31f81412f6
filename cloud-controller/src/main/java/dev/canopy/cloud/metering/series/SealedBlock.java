package dev.canopy.cloud.metering.series;

/**
 * A sealed block as the store will keep it: the encoded {@code bytes} ({@link BlockCodec}) and what a
 * store key and an index need without decoding them.
 *
 * @param firstSecond the first point's second; {@code lastSecond} the last's
 */
public record SealedBlock(int seriesId, long firstSecond, long lastSecond, int points, byte[] bytes) {}
