package dev.canopy.cloud.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;
import java.time.Instant;

/**
 * Reads an instance record's launch key ({@link LaunchKeys}: owner, launch time, reservation,
 * launch index, id) for the grid's sorted index, from the stored JSON (inside a fenced envelope
 * too). A record missing one of those fields gives no value, so it is in no range: every instance
 * record has them from its first write.
 */
public final class LaunchKeyExtractor implements ValueExtractor<Object, Object> {

  @Override
  public void extract(Object target, Object argument, ValueCollector collector) {
    if (!(target instanceof String text)) {
      throw new IllegalStateException("grid maps hold JSON text; found " + (target == null ? "null" : target.getClass()));
    }
    JsonNode record = JsonFieldExtractor.recordOf(JsonFieldExtractor.parse(text));
    JsonNode owner = record.get("ownerId");
    JsonNode launchTime = record.get("launchTime");
    JsonNode reservation = record.get("reservationId");
    JsonNode index = record.get("amiLaunchIndex");
    JsonNode id = record.get("instanceId");
    if (owner == null || launchTime == null || reservation == null || index == null || id == null || launchTime.isNull()) {
      return;
    }
    // Instants are stored as ISO-8601 text (GridJson); a number would be epoch seconds with a fraction.
    long launchTimeMs = launchTime.isNumber()
        ? launchTime.decimalValue().movePointRight(3).longValue()
        : Instant.parse(launchTime.asText()).toEpochMilli();
    collector.addObject(LaunchKeys.of(owner.asText(),
        LaunchKeys.listingKey(launchTimeMs, reservation.asText(), index.asInt(), id.asText())));
  }
}
