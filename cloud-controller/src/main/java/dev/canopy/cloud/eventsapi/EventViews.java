package dev.canopy.cloud.eventsapi;

import dev.canopy.cloud.events.DomainEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** An event as the console's JSON shows it. */
final class EventViews {

  private EventViews() {}

  static Map<String, Object> of(DomainEvent event) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("seq", event.seq());
    view.put("time", event.time().toString());
    view.put("type", event.type());
    view.put("accountId", event.accountId());
    view.put("subject", event.subject());
    view.put("detail", event.detail());
    return view;
  }
}
