package dev.canopy.storage.kv.ring;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.Quorum;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ring as bytes, to spread it between nodes and keep it on disk: a format version, then the
 * version, target N, members, owners (as indexes into the members) and bucket properties.
 *
 * <p>Format 2 writes each member's peer address after its id (empty when unknown); format 1,
 * written before addresses travelled with the ring, is still read, its addresses all unknown.
 */
public final class RingCodec {

  /** Members only; still decoded. */
  static final int FORMAT_MEMBERS = 1;
  /** Members with their peer addresses; what {@link #encode} writes. */
  static final int FORMAT_ADDRESSES = 2;
  /** A bound on members and bucket property entries read back. */
  public static final int ENTRIES_MAX = 100_000;

  private RingCodec() {}

  public static byte[] encode(Ring ring) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_ADDRESSES);
      out.writeLong(ring.version());
      out.writeByte(ring.targetN());
      out.writeInt(ring.members().size());
      for (String m : ring.members()) {
        out.writeUTF(m);
        out.writeUTF(ring.address(m).orElse(""));
      }
      out.writeInt(ring.partitions());
      for (String o : ring.owners()) {
        out.writeShort(ring.members().indexOf(o));
      }
      out.writeInt(ring.allBucketProps().size());
      for (Map.Entry<String, BucketProps> e : ring.allBucketProps().entrySet()) {
        out.writeUTF(e.getKey());
        writeProps(out, e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static Ring decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int format = in.readByte();
      if (format != FORMAT_MEMBERS && format != FORMAT_ADDRESSES) {
        throw new InvalidRequestException("unknown ring format " + format);
      }
      long version = in.readLong();
      int targetN = in.readByte();
      List<String> members = new ArrayList<>();
      Map<String, String> addresses = new TreeMap<>();
      int memberCount = bounded(in.readInt());
      for (int i = 0; i < memberCount; i++) {
        String member = in.readUTF();
        members.add(member);
        String address = format == FORMAT_ADDRESSES ? in.readUTF() : "";
        if (!address.isEmpty()) {
          addresses.put(member, address);
        }
      }
      int q = in.readInt();
      if (q < 1 || q > Ring.PARTITIONS_MAX) {
        throw new InvalidRequestException("bad partition count " + q);
      }
      String[] owners = new String[q];
      for (int i = 0; i < q; i++) {
        int index = in.readShort();
        if (index < 0 || index >= members.size()) {
          throw new InvalidRequestException("bad owner index " + index);
        }
        owners[i] = members.get(index);
      }
      Map<String, BucketProps> props = new TreeMap<>();
      int propCount = bounded(in.readInt());
      for (int i = 0; i < propCount; i++) {
        props.put(in.readUTF(), readProps(in));
      }
      return new Ring(version, targetN, members, owners, props, addresses);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidRequestException("not a ring: " + e.getMessage());
    }
  }

  private static int bounded(int count) {
    if (count < 0 || count > ENTRIES_MAX) {
      throw new InvalidRequestException("bad entry count " + count);
    }
    return count;
  }

  static void writeProps(DataOutputStream out, BucketProps p) throws IOException {
    out.writeByte(p.nVal());
    for (Quorum q : new Quorum[] {p.r(), p.w(), p.dw(), p.pr(), p.pw()}) {
      out.writeByte(q.kind().ordinal());
      out.writeByte(q.count());
    }
    out.writeBoolean(p.allowMult());
    out.writeBoolean(p.lastWriteWins());
  }

  static BucketProps readProps(DataInputStream in) throws IOException {
    int n = in.readByte();
    Quorum[] q = new Quorum[5];
    Quorum.Kind[] kinds = Quorum.Kind.values();
    for (int i = 0; i < q.length; i++) {
      int kind = in.readByte();
      int count = in.readByte();
      if (kind < 0 || kind >= kinds.length) {
        throw new InvalidRequestException("bad quorum kind " + kind);
      }
      q[i] = new Quorum(kinds[kind], count);
    }
    return new BucketProps(n, q[0], q[1], q[2], q[3], q[4], in.readBoolean(), in.readBoolean());
  }
}
