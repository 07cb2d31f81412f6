package dev.canopy.cloud.events;

import java.util.Map;

/**
 * Where the code that makes a change records it. Recording never fails the change it describes:
 * the change has already landed when it is recorded, so an implementation logs its own failures.
 */
@FunctionalInterface
public interface EventRecorder {

  /** Records nothing: for services built without an event log (tests, tools). */
  EventRecorder NONE = (type, accountId, subject, detail) -> {};

  void record(String type, String accountId, String subject, Map<String, String> detail);
}
