package dev.canopy.storage.objects;

import dev.canopy.storage.backend.PartInfo;
import java.time.Instant;
import java.util.HexFormat;

/** An uploaded part, one KV value in the parts bucket. {@code md5} is hex. */
record PartRecord(int partNumber, Manifest.Segment segment, String md5, long lastModifiedMs) {

  PartInfo info() {
    return new PartInfo(partNumber, segment.length(), HexFormat.of().parseHex(md5), Instant.ofEpochMilli(lastModifiedMs));
  }
}
