package dev.canopy.cloud.eventsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.topic.ITopic;
import dev.canopy.cloud.grid.Grid;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "A metering sample of this instance was stored", told to every controller through the grid's
 * topic {@value #TOPIC}, at most once per instance per {@link #INTERVAL} from each controller that
 * stores batches. Notices are not durable: a console that misses one refetches at the next.
 */
public final class SampleNotices {

  private static final Logger LOG = LoggerFactory.getLogger(SampleNotices.class);
  static final String TOPIC = "console-sample-notices";
  /** The console refetches a graph at most this often per instance. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  /** One notice: the instance, its account, when its batch was stored (epoch milliseconds). */
  public record Notice(String instanceId, String accountId, long timeMs) {}

  private final ITopic<String> topic;
  private final ObjectMapper json;
  private final InstantSource clock;
  private final NoticeThrottle throttle = new NoticeThrottle(INTERVAL);

  public SampleNotices(Grid grid, InstantSource clock) {
    this.topic = grid.topic(TOPIC);
    this.json = grid.json();
    this.clock = clock;
  }

  /** Publishes a notice for each instance of a stored batch, unless one went out within the interval. */
  public void stored(Map<String, String> ownersByInstance) {
    var now = clock.instant();
    ownersByInstance.forEach((instanceId, accountId) -> {
      if (throttle.admit(instanceId, now)) {
        try {
          topic.publish(json.writeValueAsString(new Notice(instanceId, accountId, now.toEpochMilli())));
        } catch (IOException | RuntimeException e) {
          LOG.debug("no sample notice for {}: {}", instanceId, e.toString());
        }
      }
    });
  }

  /** Calls {@code listener} with each notice any controller publishes (on a grid thread: hand it on quickly). */
  public void listen(Consumer<Notice> listener) {
    topic.addMessageListener(message -> {
      try {
        JsonNode node = json.readTree(message.getMessageObject());
        listener.accept(new Notice(node.path("instanceId").asText(), node.path("accountId").asText(), node.path("timeMs").asLong()));
      } catch (IOException | RuntimeException e) {
        LOG.debug("an unreadable sample notice: {}", e.toString());
      }
    });
  }
}
