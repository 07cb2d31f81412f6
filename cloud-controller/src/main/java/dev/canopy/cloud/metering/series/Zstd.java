package dev.canopy.cloud.metering.series;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/** zstd through aircompressor's pure-Java implementation: no native library on any host. */
final class Zstd {

  private Zstd() {}

  /** The compressed form of {@code length} bytes of {@code input}. */
  static byte[] compress(byte[] input, int length) {
    ZstdCompressor compressor = new ZstdCompressor();
    byte[] out = new byte[compressor.maxCompressedLength(length)];
    int written = compressor.compress(input, 0, length, out, 0, out.length);
    return java.util.Arrays.copyOf(out, written);
  }

  /** Decompresses to exactly {@code rawLength} bytes, or throws {@link CorruptSeriesException}. */
  static byte[] decompress(byte[] input, int offset, int length, int rawLength) {
    byte[] out = new byte[rawLength];
    int written;
    try {
      written = new ZstdDecompressor().decompress(input, offset, length, out, 0, rawLength);
    } catch (MalformedInputException e) {
      throw new CorruptSeriesException("zstd body does not decompress: " + e.getMessage(), e);
    }
    if (written != rawLength) {
      throw new CorruptSeriesException("zstd body gives " + written + " bytes, header says " + rawLength);
    }
    return out;
  }
}
