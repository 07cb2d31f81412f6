package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.KeyBytes;
import dev.canopy.storage.kv.aae.KeyHash;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.engine.Message.CoordinatePut;
import dev.canopy.storage.kv.engine.Message.Done;
import dev.canopy.storage.kv.engine.Message.Entry;
import dev.canopy.storage.kv.engine.Message.FormerOwnerGet;
import dev.canopy.storage.kv.engine.Message.FormerOwnerReply;
import dev.canopy.storage.kv.engine.Message.GetReply;
import dev.canopy.storage.kv.engine.Message.HandedOff;
import dev.canopy.storage.kv.engine.Message.MemberProbe;
import dev.canopy.storage.kv.engine.Message.MemberState;
import dev.canopy.storage.kv.engine.Message.HandoffBatch;
import dev.canopy.storage.kv.engine.Message.KeyList;
import dev.canopy.storage.kv.engine.Message.LevelHashes;
import dev.canopy.storage.kv.engine.Message.ListKeys;
import dev.canopy.storage.kv.engine.Message.ListRange;
import dev.canopy.storage.kv.engine.Message.Listed;
import dev.canopy.storage.kv.engine.Message.PutAck;
import dev.canopy.storage.kv.engine.Message.RangeReply;
import dev.canopy.storage.kv.engine.Message.Reap;
import dev.canopy.storage.kv.engine.Message.ReplicaGet;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import dev.canopy.storage.kv.engine.Message.RingUpdate;
import dev.canopy.storage.kv.engine.Message.SegmentKeys;
import dev.canopy.storage.kv.engine.Message.TreeLevel;
import dev.canopy.storage.kv.engine.Message.TreeSegments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages as bytes: a format byte (so a later format can be told apart), a tag per message
 * kind, then its fields. A malformed message is an {@link IllegalArgumentException}: peers are
 * authenticated storage nodes, so it means a bug or a version skew, not a hostile client.
 */
final class MessageCodec {

  private static final int FORMAT = 1;
  /** Bounds on counts read back, against a corrupt length. */
  static final int ENTRIES_MAX = 1 << 20;
  static final int BYTES_MAX = 256 << 20;

  private MessageCodec() {}

  static byte[] encode(Message message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      if (message instanceof CoordinatePut m) {
        // A write over the coordinator's copy has a tag of its own, so that the others keep the
        // layout older nodes read.
        out.writeByte(m.overCopy() ? 23 : 1);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        out.writeUTF(m.key());
        writeBytes(out, m.context());
        CausalObjectCodec.writeContent(out, m.content());
        out.writeBoolean(m.sync());
        out.writeBoolean(m.allowMult());
      } else if (message instanceof ReplicaPut m) {
        out.writeByte(2);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        out.writeUTF(m.key());
        writeBytes(out, m.object());
        out.writeBoolean(m.sync());
        out.writeBoolean(m.allowMult());
        out.writeUTF(m.hintFor() == null ? "" : m.hintFor());
      } else if (message instanceof ReplicaGet m) {
        out.writeByte(3);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        out.writeUTF(m.key());
      } else if (message instanceof Reap m) {
        out.writeByte(4);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        out.writeUTF(m.key());
        writeBytes(out, m.object());
      } else if (message instanceof HandoffBatch m) {
        out.writeByte(5);
        out.writeInt(m.partition());
        out.writeInt(m.entries().size());
        for (Entry e : m.entries()) {
          writeBytes(out, e.storageKey());
          writeBytes(out, e.object());
        }
      } else if (message instanceof RingUpdate m) {
        out.writeByte(6);
        writeBytes(out, m.ring());
      } else if (message instanceof ListKeys m) {
        out.writeByte(7);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
      } else if (message instanceof PutAck m) {
        // Likewise an ack whose replica kept a value beside the write (rare: it had one the writer had not seen).
        out.writeByte(m.superseded() ? 8 : 24);
        out.writeBoolean(m.synced());
        writeBytes(out, m.object());
      } else if (message instanceof GetReply m) {
        out.writeByte(9);
        writeBytes(out, m.object());
      } else if (message instanceof KeyList m) {
        out.writeByte(10);
        out.writeInt(m.keys().size());
        for (String k : m.keys()) {
          out.writeUTF(k);
        }
      } else if (message instanceof TreeLevel m) {
        out.writeByte(12);
        writeTree(out, m.partition(), m.home(), m.n(), m.segments(), m.width());
        out.writeInt(m.level());
        writeInts(out, m.indexes());
      } else if (message instanceof TreeSegments m) {
        out.writeByte(13);
        writeTree(out, m.partition(), m.home(), m.n(), m.segments(), m.width());
        writeInts(out, m.segmentIndexes());
      } else if (message instanceof LevelHashes m) {
        out.writeByte(14);
        out.writeInt(m.hashes().length);
        for (long h : m.hashes()) {
          out.writeLong(h);
        }
      } else if (message instanceof SegmentKeys m) {
        out.writeByte(15);
        out.writeInt(m.segments().size());
        for (List<KeyHash> segment : m.segments()) {
          out.writeInt(segment.size());
          for (KeyHash k : segment) {
            writeBytes(out, k.key().bytes());
            out.writeLong(k.objectHash());
          }
        }
      } else if (message instanceof FormerOwnerGet m) {
        out.writeByte(16);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        out.writeUTF(m.key());
      } else if (message instanceof FormerOwnerReply m) {
        out.writeByte(17);
        writeBytes(out, m.object());
        out.writeBoolean(m.holding());
      } else if (message instanceof HandedOff m) {
        out.writeByte(18);
        out.writeInt(m.partition());
        out.writeUTF(m.from());
      } else if (message instanceof MemberProbe) {
        out.writeByte(19);
      } else if (message instanceof MemberState m) {
        out.writeByte(20);
        writeBytes(out, m.ring());
        out.writeBoolean(m.holdingData());
      } else if (message instanceof ListRange m) {
        out.writeByte(21);
        out.writeInt(m.partition());
        out.writeUTF(m.bucket());
        writeInts(out, m.homes());
        out.writeUTF(m.prefix());
        out.writeUTF(m.startAfter());
        out.writeInt(m.limit());
      } else if (message instanceof RangeReply m) {
        out.writeByte(22);
        out.writeInt(m.records().size());
        for (Listed listed : m.records()) {
          out.writeUTF(listed.key());
          writeBytes(out, listed.object());
        }
        out.writeBoolean(m.more());
      } else {
        out.writeByte(11);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Message decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown message format");
      }
      int tag = in.readByte();
      Message m = switch (tag) {
        case 1, 23 -> new CoordinatePut(in.readInt(), in.readUTF(), in.readUTF(), readBytes(in),
            CausalObjectCodec.readContent(in), in.readBoolean(), in.readBoolean(), tag == 23);
        case 2 -> {
          ReplicaPut p = new ReplicaPut(in.readInt(), in.readUTF(), in.readUTF(), readBytes(in),
              in.readBoolean(), in.readBoolean(), in.readUTF());
          yield p.hintFor().isEmpty()
              ? new ReplicaPut(p.partition(), p.bucket(), p.key(), p.object(), p.sync(),
                  p.allowMult(), null)
              : p;
        }
        case 3 -> new ReplicaGet(in.readInt(), in.readUTF(), in.readUTF());
        case 4 -> new Reap(in.readInt(), in.readUTF(), in.readUTF(), readBytes(in));
        case 5 -> {
          int partition = in.readInt();
          int count = bounded(in.readInt(), ENTRIES_MAX);
          List<Entry> entries = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            entries.add(new Entry(readBytes(in), readBytes(in)));
          }
          yield new HandoffBatch(partition, entries);
        }
        case 6 -> new RingUpdate(readBytes(in));
        case 7 -> new ListKeys(in.readInt(), in.readUTF());
        case 8, 24 -> new PutAck(in.readBoolean(), readBytes(in), tag == 8);
        case 9 -> new GetReply(readBytes(in));
        case 10 -> {
          int count = bounded(in.readInt(), ENTRIES_MAX);
          List<String> keys = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            keys.add(in.readUTF());
          }
          yield new KeyList(keys);
        }
        case 11 -> new Done();
        case 12 -> new TreeLevel(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
            in.readInt(), in.readInt(), readInts(in));
        case 13 -> new TreeSegments(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
            in.readInt(), readInts(in));
        case 14 -> {
          long[] hashes = new long[bounded(in.readInt(), ENTRIES_MAX)];
          for (int i = 0; i < hashes.length; i++) {
            hashes[i] = in.readLong();
          }
          yield new LevelHashes(hashes);
        }
        case 15 -> {
          int count = bounded(in.readInt(), ENTRIES_MAX);
          List<List<KeyHash>> segments = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            int keys = bounded(in.readInt(), ENTRIES_MAX);
            List<KeyHash> segment = new ArrayList<>(Math.min(keys, 1024));
            for (int k = 0; k < keys; k++) {
              segment.add(new KeyHash(KeyBytes.of(readBytes(in)), in.readLong()));
            }
            segments.add(segment);
          }
          yield new SegmentKeys(segments);
        }
        case 16 -> new FormerOwnerGet(in.readInt(), in.readUTF(), in.readUTF());
        case 17 -> new FormerOwnerReply(readBytes(in), in.readBoolean());
        case 18 -> new HandedOff(in.readInt(), in.readUTF());
        case 19 -> new MemberProbe();
        case 20 -> new MemberState(readBytes(in), in.readBoolean());
        case 21 -> new ListRange(in.readInt(), in.readUTF(), readInts(in), in.readUTF(),
            in.readUTF(), in.readInt());
        case 22 -> {
          int count = bounded(in.readInt(), ENTRIES_MAX);
          List<Listed> records = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            records.add(new Listed(in.readUTF(), readBytes(in)));
          }
          yield new RangeReply(records, in.readBoolean());
        }
        default -> throw new IllegalArgumentException("unknown message tag " + tag);
      };
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after a message");
      }
      return m;
    } catch (IOException e) {
      throw new IllegalArgumentException("a truncated message", e);
    }
  }

  private static void writeTree(DataOutputStream out, int partition, int home, int n,
      int segments, int width) throws IOException {
    out.writeInt(partition);
    out.writeInt(home);
    out.writeInt(n);
    out.writeInt(segments);
    out.writeInt(width);
  }

  private static void writeInts(DataOutputStream out, int[] ints) throws IOException {
    out.writeInt(ints.length);
    for (int i : ints) {
      out.writeInt(i);
    }
  }

  private static int[] readInts(DataInputStream in) throws IOException {
    int[] ints = new int[bounded(in.readInt(), ENTRIES_MAX)];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = in.readInt();
    }
    return ints;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[bounded(in.readInt(), BYTES_MAX)];
    in.readFully(bytes);
    return bytes;
  }

  private static int bounded(int count, int max) {
    if (count < 0 || count > max) {
      throw new IllegalArgumentException("a count out of bounds in a message: " + count);
    }
    return count;
  }
}
