package dev.canopy.cloud.eventsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void anEventIsItsFieldsOnePerLineEndedByAnEmptyLine() {
    assertThat(SseFrames.event("42", "log", "{\"seq\":42}")).isEqualTo("id: 42\nevent: log\ndata: {\"seq\":42}\n\n");
  }

  @Test
  void anEventWithoutIdLeavesTheClientsLastIdAlone() {
    assertThat(SseFrames.event(null, "sample", "{}")).isEqualTo("event: sample\ndata: {}\n\n");
  }

  @Test
  void dataWithLineBreaksBecomesSeveralDataLinesSoItCannotEndTheEventEarlyOrForgeAField() {
    assertThat(SseFrames.event("1", "log", "a\n\nid: 99\r\nb\rc")).isEqualTo("id: 1\nevent: log\ndata: a\ndata: \ndata: id: 99\ndata: b\ndata: c\n\n");
  }

  @Test
  void idsTypesAndCommentsCannotSpanLines() {
    assertThatThrownBy(() -> SseFrames.event("1\n", "log", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseFrames.event("1", "log\nevent: x", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseFrames.comment("a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commentsAndRetryAreWhatTheSpecNames() {
    assertThat(SseFrames.comment("heartbeat")).isEqualTo(": heartbeat\n\n");
    assertThat(SseFrames.retry(3000)).isEqualTo("retry: 3000\n\n");
  }
}
