package dev.canopy.storage.kv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Members' peer addresses travel with the ring: through joins and leaves, and through its byte form, old and new. */
class RingAddressesTest {

  private static final Map<String, String> THREE = Map.of("1", "10.0.0.1", "2", "10.0.0.2", "3", "10.0.0.3");

  @Test
  void aRingCreatedWithAddressesKnowsEachMembersAddress() {
    Ring ring = Ring.create(THREE, 16, 3);
    assertThat(ring.members()).containsExactly("1", "2", "3");
    assertThat(ring.addresses()).isEqualTo(THREE);
    assertThat(ring).isEqualTo(Ring.create(List.of("1", "2", "3"), 16, 3).withAddresses(THREE));
  }

  @Test
  void aJoinAddsTheNewMembersAddressAndALeaveRemovesIt() {
    Ring ring = Ring.create(THREE, 16, 3);
    Ring joined = ring.join("4", "10.0.0.4").ring();
    assertThat(joined.version()).isEqualTo(ring.version() + 1);
    assertThat(joined.address("4")).contains("10.0.0.4");
    assertThat(joined.addresses()).hasSize(4).containsAllEntriesOf(THREE);
    assertThat(joined.owners()).isEqualTo(ring.join("4").ring().owners());

    Ring left = joined.leave("2").ring();
    assertThat(left.addresses()).containsOnlyKeys("1", "3", "4");
    assertThat(left.members()).containsExactly("1", "3", "4");
  }

  @Test
  void bucketPropertiesKeepTheAddresses() {
    Ring ring = Ring.create(THREE, 16, 3).withBucketProps("b", BucketProps.defaults(3));
    assertThat(ring.addresses()).isEqualTo(THREE);
  }

  @Test
  void withAddressesFillsOnlyWhatTheRingLacksAndIgnoresStrangers() {
    Ring partial = Ring.create(Map.of("1", "10.0.0.1"), 16, 3).join("2").ring();
    Ring filled = partial.withAddresses(Map.of("1", "192.168.0.1", "2", "10.0.0.2", "9", "10.0.0.9"));
    assertThat(filled.addresses()).isEqualTo(Map.of("1", "10.0.0.1", "2", "10.0.0.2"));
    assertThat(filled.version()).isEqualTo(partial.version());
    assertThat(partial.withAddresses(Map.of())).isSameAs(partial);
  }

  @Test
  void theByteFormCarriesAddresses() {
    Ring ring = Ring.create(THREE, 16, 3).join("4", "fd00::4").ring().withBucketProps("b", BucketProps.defaults(3));
    Ring back = RingCodec.decode(RingCodec.encode(ring));
    assertThat(back).isEqualTo(ring);
    assertThat(back.address("4")).contains("fd00::4");
  }

  @Test
  void aMemberWithoutAddressStaysWithout() {
    Ring ring = Ring.create(Map.of("1", "10.0.0.1"), 8, 3).join("2").ring();
    assertThat(RingCodec.decode(RingCodec.encode(ring)).addresses()).containsOnlyKeys("1");
  }

  @Test
  void aRingInTheFirstFormStillDecodesWithNoAddresses() throws IOException {
    Ring ring = Ring.create(List.of("1", "2", "3"), 16, 3).withBucketProps("b", BucketProps.defaults(3));
    Ring back = RingCodec.decode(firstForm(ring));
    assertThat(back).isEqualTo(ring);
    assertThat(back.addresses()).isEmpty();
  }

  @Test
  void anUnknownFormatIsRefused() {
    byte[] bytes = RingCodec.encode(Ring.create(THREE, 8, 3));
    bytes[0] = 3;
    assertThatThrownBy(() -> RingCodec.decode(bytes)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("format 3");
  }

  @Test
  void anAddressForANonMemberIsNotARing() {
    assertThatThrownBy(() -> new Ring(1, 3, List.of("1"), new String[] {"1"}, Map.of(), Map.of("2", "h")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The byte form as written before addresses travelled with the ring (format 1). */
  static byte[] firstForm(Ring ring) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(RingCodec.FORMAT_MEMBERS);
      out.writeLong(ring.version());
      out.writeByte(ring.targetN());
      out.writeInt(ring.members().size());
      for (String m : ring.members()) {
        out.writeUTF(m);
      }
      out.writeInt(ring.partitions());
      for (String o : ring.owners()) {
        out.writeShort(ring.members().indexOf(o));
      }
      out.writeInt(ring.allBucketProps().size());
      for (Map.Entry<String, BucketProps> e : ring.allBucketProps().entrySet()) {
        out.writeUTF(e.getKey());
        RingCodec.writeProps(out, e.getValue());
      }
    }
    return bytes.toByteArray();
  }
}
