package dev.canopy.cloud.lease;

import java.util.ArrayList;
import java.util.List;

/** Collects the effects of one step; the roles append to it, the node turns it into {@link Effects}. */
final class EffectsBuilder {

  private final List<Effects.Send> sends = new ArrayList<>();
  private final List<Effects.TimerRequest> timers = new ArrayList<>();
  private final List<Effects.HolderEvent> holderEvents = new ArrayList<>();

  void send(int toNodeId, LeaseMessage message) {
    sends.add(new Effects.Send(toNodeId, message));
  }

  void broadcast(LeaseMessage message) {
    sends.add(new Effects.Send(Effects.Send.ALL_OTHERS, message));
  }

  void timer(Effects.TimerKind kind, long deadlineNanos) {
    timers.add(new Effects.TimerRequest(kind, deadlineNanos));
  }

  void holderEvent(Effects.HolderEvent event) {
    holderEvents.add(event);
  }

  List<Effects.Send> sends() {
    return sends;
  }

  Effects build() {
    if (sends.isEmpty() && timers.isEmpty() && holderEvents.isEmpty()) {
      return Effects.none();
    }
    return new Effects(sends, timers, holderEvents);
  }
}
