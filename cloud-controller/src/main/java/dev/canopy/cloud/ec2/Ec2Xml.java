package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Rendering helpers shared by action families: timestamps and tag sets as EC2 writes them. */
final class Ec2Xml {

  /** EC2 writes timestamps with milliseconds and a Z, e.g. 2024-05-01T12:00:00.000Z. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Ec2Xml() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /** {@code <tagSet>} with one item per tag; omitted when there are none, as EC2 does. */
  static void tagSet(XmlWriter xml, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    xml.start("tagSet");
    tags.forEach((k, v) -> xml.start("item").element("key", k).element("value", v).end());
    xml.end();
  }
}
