package dev.canopy.storage.kv.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.aae.KeyBytes;
import dev.canopy.storage.kv.aae.KeyHash;
import dev.canopy.storage.kv.engine.Message.CoordinatePut;
import dev.canopy.storage.kv.engine.Message.Entry;
import dev.canopy.storage.kv.engine.Message.HandoffBatch;
import dev.canopy.storage.kv.engine.Message.KeyList;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message kind survives its byte form; malformed bytes are refused. */
class MessageCodecTest {

  @Test
  void messagesRoundTrip() {
    Content c = new Content(new byte[] {1, 2}, "text/plain", Map.of("k", "v"), List.of(), "vt",
        7, false);
    CoordinatePut put = (CoordinatePut) MessageCodec.decode(MessageCodec.encode(
        new CoordinatePut(3, "b", "k", new byte[] {9}, c, true, false, false)));
    assertThat(put.partition()).isEqualTo(3);
    assertThat(put.content().meta()).isEqualTo(Map.of("k", "v"));
    assertThat(put.context()).containsExactly(9);
    assertThat(put.sync()).isTrue();
    assertThat(put.overCopy()).isFalse();
    byte[] overCopy = MessageCodec.encode(new CoordinatePut(3, "b", "k", new byte[0], c, true, false, true));
    assertThat(overCopy[1]).as("a tag of its own; tag 1 keeps the layout older nodes read").isEqualTo((byte) 23);
    assertThat(((CoordinatePut) MessageCodec.decode(overCopy)).overCopy()).isTrue();

    for (boolean superseded : new boolean[] {true, false}) {
      Message.PutAck ack = (Message.PutAck) MessageCodec.decode(MessageCodec.encode(
          new Message.PutAck(true, new byte[] {4}, superseded)));
      assertThat(ack.superseded()).isEqualTo(superseded);
      assertThat(ack.synced()).isTrue();
      assertThat(ack.object()).containsExactly(4);
    }

    ReplicaPut rp = (ReplicaPut) MessageCodec.decode(MessageCodec.encode(
        new ReplicaPut(1, "b", "k", new byte[] {5}, false, true, null)));
    assertThat(rp.hintFor()).isNull();
    assertThat(rp.allowMult()).isTrue();
    ReplicaPut hinted = (ReplicaPut) MessageCodec.decode(MessageCodec.encode(
        new ReplicaPut(1, "b", "k", new byte[] {5}, false, true, "n2")));
    assertThat(hinted.hintFor()).isEqualTo("n2");

    HandoffBatch batch = (HandoffBatch) MessageCodec.decode(MessageCodec.encode(
        new HandoffBatch(4, List.of(new Entry(new byte[] {1}, new byte[] {2})))));
    assertThat(batch.entries()).hasSize(1);
    assertThat(((KeyList) MessageCodec.decode(MessageCodec.encode(new KeyList(List.of("a", "b")))))
        .keys()).containsExactly("a", "b");
  }

  @Test
  void antiEntropyMessagesRoundTrip() {
    Message.TreeLevel level = (Message.TreeLevel) MessageCodec.decode(MessageCodec.encode(
        new Message.TreeLevel(5, 4, 3, 4096, 16, 2, new int[] {7, 9})));
    assertThat(List.of(level.partition(), level.home(), level.n(), level.segments(), level.width(),
        level.level())).containsExactly(5, 4, 3, 4096, 16, 2);
    assertThat(level.indexes()).containsExactly(7, 9);
    Message.TreeSegments segments = (Message.TreeSegments) MessageCodec.decode(MessageCodec.encode(
        new Message.TreeSegments(5, 4, 3, 64, 8, new int[] {1})));
    assertThat(segments.segmentIndexes()).containsExactly(1);
    assertThat(((Message.LevelHashes) MessageCodec.decode(MessageCodec.encode(
        new Message.LevelHashes(new long[] {-1L, 42L})))).hashes()).containsExactly(-1L, 42L);
    KeyHash key = new KeyHash(KeyBytes.of(new byte[] {3, 4}), 99L);
    Message.SegmentKeys keys = (Message.SegmentKeys) MessageCodec.decode(MessageCodec.encode(
        new Message.SegmentKeys(List.of(List.of(key), List.of()))));
    assertThat(keys.segments()).containsExactly(List.of(key), List.of());
  }

  @Test
  void readThroughMessagesRoundTrip() {
    Message.FormerOwnerGet get = (Message.FormerOwnerGet) MessageCodec.decode(MessageCodec.encode(
        new Message.FormerOwnerGet(2, "b", "k")));
    assertThat(List.of(get.bucket(), get.key())).containsExactly("b", "k");
    Message.FormerOwnerReply reply = (Message.FormerOwnerReply) MessageCodec.decode(
        MessageCodec.encode(new Message.FormerOwnerReply(new byte[] {7}, true)));
    assertThat(reply.object()).containsExactly(7);
    assertThat(reply.holding()).isTrue();
    assertThat(MessageCodec.decode(MessageCodec.encode(new Message.HandedOff(3, "n2"))))
        .isEqualTo(new Message.HandedOff(3, "n2"));
  }

  @Test
  void listingMessagesRoundTrip() {
    Message.ListRange ask = (Message.ListRange) MessageCodec.decode(MessageCodec.encode(
        new Message.ListRange(5, "b", new int[] {4, 5}, "photos/", "photos/\uD83D\uDE00", 1000)));
    assertThat(List.of(ask.partition(), ask.limit())).containsExactly(5, 1000);
    assertThat(List.of(ask.bucket(), ask.prefix(), ask.startAfter()))
        .containsExactly("b", "photos/", "photos/\uD83D\uDE00");
    assertThat(ask.homes()).containsExactly(4, 5);
    Message.RangeReply reply = (Message.RangeReply) MessageCodec.decode(MessageCodec.encode(
        new Message.RangeReply(List.of(new Message.Listed("k", new byte[] {1, 2})), true)));
    assertThat(reply.more()).isTrue();
    assertThat(reply.records()).singleElement().satisfies(listed -> {
      assertThat(listed.key()).isEqualTo("k");
      assertThat(listed.object()).containsExactly(1, 2);
    });
  }

  @Test
  void malformedMessagesAreRefused() {
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {2, 1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {1, 99})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageCodec.decode(new byte[] {1, 1, 0})).isInstanceOf(IllegalArgumentException.class);
    byte[] done = MessageCodec.encode(new Message.Done());
    byte[] trailing = java.util.Arrays.copyOf(done, done.length + 1);
    assertThatThrownBy(() -> MessageCodec.decode(trailing)).isInstanceOf(IllegalArgumentException.class);
  }
}
