package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

  private final List<String> frames = new ArrayList<>();
  private final List<Integer> badLengths = new ArrayList<>();
  private final Handler<Buffer> reader =
      Frames.reader(frame -> frames.add(frame.toString(StandardCharsets.UTF_8)), badLengths::add);

  @Test
  void cutsFramesAcrossAnyChunkingAndSwallowsKeepalives() {
    Buffer stream = Buffer.buffer()
        .appendBuffer(Frames.encode(bytes("{\"a\":1}")))
        .appendBuffer(Frames.keepalive())
        .appendBuffer(Frames.encode(bytes("{\"b\":22}")));
    for (int i = 0; i < stream.length(); i++) {
      reader.handle(stream.getBuffer(i, i + 1)); // one byte at a time
    }
    assertThat(frames).containsExactly("{\"a\":1}", "{\"b\":22}");
    assertThat(badLengths).isEmpty();
  }

  @Test
  void aLengthAboveTheLimitIsReportedOnceAndTheRestIgnored() {
    reader.handle(Buffer.buffer().appendInt(Frames.FRAME_BYTES_MAX + 1).appendBytes(new byte[100]));
    reader.handle(Frames.encode(bytes("{}")));
    assertThat(badLengths).containsExactly(Frames.FRAME_BYTES_MAX + 1);
    assertThat(frames).isEmpty();
  }

  @Test
  void aFrameOfExactlyTheLimitPasses() {
    reader.handle(Frames.encode(new byte[Frames.FRAME_BYTES_MAX]));
    assertThat(frames).hasSize(1);
    assertThatThrownBy(() -> Frames.encode(new byte[Frames.FRAME_BYTES_MAX + 1])).isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
