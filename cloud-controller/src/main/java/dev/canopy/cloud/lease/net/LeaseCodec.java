package dev.canopy.cloud.lease.net;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link LeaseMessage} as JSON: {@code {"type": "<record name>", "senderId": n, "configHash": n,
 * ...the record's other fields}}. Decoding is strict, because a field this build does not know
 * means a peer speaking another protocol: an unknown type, a missing, extra or non-integer field,
 * a duplicate key, trailing bytes or another configuration hash each reject the whole message.
 * The field names are the wire format: renaming a record component is a protocol change.
 */
public final class LeaseCodec {

  /** Why a frame was rejected; {@link #CONFIG_MISMATCH} is the one that raises an alarm. */
  public enum Rejection { NOT_JSON, UNKNOWN_TYPE, MISSING_FIELD, UNKNOWN_FIELD, BAD_FIELD, CONFIG_MISMATCH }

  /** A decoding outcome: a message, or a rejection with a sentence for the log. */
  public sealed interface Decoded {}

  public record Accepted(LeaseMessage message) implements Decoded {}

  public record Rejected(Rejection reason, String detail) implements Decoded {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final long configHash;

  /** @param configHash {@link dev.canopy.cloud.lease.LeaseConfig#configHash()} of this controller */
  public LeaseCodec(long configHash) {
    this.configHash = configHash;
  }

  public byte[] encode(LeaseMessage message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("type", message.getClass().getSimpleName());
    out.put("senderId", message.senderId());
    out.put("configHash", message.configHash());
    if (message instanceof PrepareRequest m) {
      out.put("ballot", m.ballot());
    } else if (message instanceof PrepareRejected m) {
      out.put("ballot", m.ballot()).put("promisedBallot", m.promisedBallot());
    } else if (message instanceof PreparePreviouslyAccepted m) {
      out.put("ballot", m.ballot()).put("acceptedBallot", m.acceptedBallot()).put("owner", m.owner())
          .put("remainingNanos", m.remainingNanos());
    } else if (message instanceof PrepareCurrentlyOpen m) {
      out.put("ballot", m.ballot());
    } else if (message instanceof ProposeRequest m) {
      out.put("ballot", m.ballot()).put("owner", m.owner()).put("durationMs", m.durationMs());
    } else if (message instanceof ProposeAccepted m) {
      out.put("ballot", m.ballot());
    } else if (message instanceof ProposeRejected m) {
      out.put("ballot", m.ballot()).put("promisedBallot", m.promisedBallot());
    } else if (message instanceof LearnChosen m) {
      out.put("owner", m.owner()).put("remainingNanos", m.remainingNanos());
    } else if (message instanceof Release m) {
      out.put("heldBallot", m.heldBallot()).put("abandonedBallot", m.abandonedBallot()).put("owner", m.owner())
          .put("successorId", m.successorId());
    } else {
      throw new IllegalStateException("no wire form for " + message.getClass().getName());
    }
    try {
      return JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("an object of numbers and one string always serialises", e);
    }
  }

  public Decoded decode(byte[] bytes) {
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      return new Rejected(Rejection.NOT_JSON, "not a single JSON value: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading JSON from a byte array does no I/O", e);
    }
    if (tree == null || !tree.isObject()) {
      return new Rejected(Rejection.NOT_JSON, "not a JSON object");
    }
    try {
      Fields f = new Fields(tree);
      // The hash first: a peer configured differently may also speak a different message set,
      // and the mismatch is what an operator must hear about.
      long hash = f.int64("configHash");
      if (hash != configHash) {
        return new Rejected(Rejection.CONFIG_MISMATCH,
            "configuration hash " + Long.toHexString(hash) + " differs from ours " + Long.toHexString(configHash));
      }
      LeaseMessage message = read(f.text("type"), f);
      f.requireNoOthers();
      return new Accepted(message);
    } catch (Reject r) {
      return new Rejected(r.reason, r.getMessage());
    }
  }

  private static LeaseMessage read(String type, Fields f) {
    int sender = f.int32("senderId");
    long hash = f.int64("configHash");
    return switch (type) {
      case "PrepareRequest" -> new PrepareRequest(sender, hash, f.int64("ballot"));
      case "PrepareRejected" -> new PrepareRejected(sender, hash, f.int64("ballot"), f.int64("promisedBallot"));
      case "PreparePreviouslyAccepted" -> new PreparePreviouslyAccepted(sender, hash, f.int64("ballot"),
          f.int64("acceptedBallot"), f.int32("owner"), f.int64("remainingNanos"));
      case "PrepareCurrentlyOpen" -> new PrepareCurrentlyOpen(sender, hash, f.int64("ballot"));
      case "ProposeRequest" -> new ProposeRequest(sender, hash, f.int64("ballot"), f.int32("owner"), f.int64("durationMs"));
      case "ProposeAccepted" -> new ProposeAccepted(sender, hash, f.int64("ballot"));
      case "ProposeRejected" -> new ProposeRejected(sender, hash, f.int64("ballot"), f.int64("promisedBallot"));
      case "LearnChosen" -> new LearnChosen(sender, hash, f.int32("owner"), f.int64("remainingNanos"));
      case "Release" -> new Release(sender, hash, f.int64("heldBallot"), f.int64("abandonedBallot"), f.int32("owner"),
          f.int32("successorId"));
      default -> throw new Reject(Rejection.UNKNOWN_TYPE, "unknown message type '" + type + "'");
    };
  }

  /** Reads named fields of one object and remembers which were read, to refuse the rest. */
  private static final class Fields {
    private final JsonNode tree;
    private final Set<String> read = new HashSet<>();

    Fields(JsonNode tree) {
      this.tree = tree;
    }

    String text(String name) {
      JsonNode node = field(name);
      if (!node.isTextual()) {
        throw new Reject(Rejection.BAD_FIELD, "field '" + name + "' must be a string");
      }
      return node.textValue();
    }

    long int64(String name) {
      JsonNode node = field(name);
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        throw new Reject(Rejection.BAD_FIELD, "field '" + name + "' must be an integer of 64 bits");
      }
      return node.longValue();
    }

    int int32(String name) {
      JsonNode node = field(name);
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw new Reject(Rejection.BAD_FIELD, "field '" + name + "' must be an integer of 32 bits");
      }
      return node.intValue();
    }

    void requireNoOthers() {
      for (var names = tree.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!read.contains(name)) {
          throw new Reject(Rejection.UNKNOWN_FIELD, "unknown field '" + name + "'");
        }
      }
    }

    private JsonNode field(String name) {
      JsonNode node = tree.get(name);
      if (node == null) {
        throw new Reject(Rejection.MISSING_FIELD, "missing field '" + name + "'");
      }
      read.add(name);
      return node;
    }
  }

  /** Internal control flow for one decode; never leaves this class. */
  private static final class Reject extends RuntimeException {
    final Rejection reason;

    Reject(Rejection reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}
