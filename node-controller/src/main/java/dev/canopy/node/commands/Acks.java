package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.util.function.Supplier;

/**
 * Builds Acks. Handlers leave {@code heldEpoch} at 0; the dispatcher fills it in. The error
 * strings are the protocol's: controllers branch on them.
 */
final class Acks {

  static final String STALE_EPOCH = "StaleEpoch";
  static final String UNKNOWN_COMMAND = "UnknownCommand";
  static final String INVALID_COMMAND = "InvalidCommand";
  static final String INVALID_PAYLOAD = "InvalidPayload";
  static final String NO_SUCH_DOMAIN = "NoSuchDomain";
  static final String INCORRECT_STATE = "IncorrectState";
  static final String DOMAIN_CONFLICT = "DomainConflict";
  static final String TIMEOUT = "Timeout";
  static final String BUSY = "HypervisorBusy";
  static final String LIBVIRT_ERROR = "LibvirtError";
  static final String DISK_ERROR = "DiskError";
  static final String NETWORK_ERROR = "NetworkError";
  static final String INTERNAL_ERROR = "InternalError";

  private Acks() {}

  /** Runs a handler body, turning the expected failures into Acks. */
  static Ack guard(Command command, Supplier<Ack> body) {
    try {
      return body.get();
    } catch (InvalidPayloadException e) {
      return failed(command, INVALID_PAYLOAD, e.getMessage());
    } catch (HypervisorException e) {
      return failed(command, e);
    }
  }

  static Ack ok(Command command, String instanceId, DomainState state) {
    return ok(command, instanceId, state.wireName());
  }

  static Ack ok(Command command, String instanceId, String state) {
    return ok(command, instanceId, state, null);
  }

  /** @param privateIp the instance's address on this node, or null */
  static Ack ok(Command command, String instanceId, String state, String privateIp) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("instanceId", instanceId);
    result.put("state", state);
    if (privateIp != null) {
      result.put("privateIp", privateIp);
    }
    return new Ack(command.id(), true, null, null, 0, result);
  }

  /** A successful ack whose result is {@code result}. */
  static Ack ok(Command command, ObjectNode result) {
    return new Ack(command.id(), true, null, null, 0, result);
  }

  /** The most of a failure message that leaves the node (libvirt's messages are a line or two). */
  static final int FAILURE_MESSAGE_CHARS_MAX = 1000;
  /** A URL's query, where a presigned link carries its signature: never repeated in an answer or a log. */
  private static final java.util.regex.Pattern URL_QUERY = java.util.regex.Pattern.compile("(https?://[^\\s?\"']*)\\?[^\\s\"']*");

  /** A failure; its message is shown to the tenant (StateReason) and logged, so it is bounded and link signatures are cut. */
  static Ack failed(Command command, String error, String message) {
    return new Ack(command.id(), false, error, safe(message), 0, null);
  }

  static String safe(String message) {
    if (message == null) {
      return null;
    }
    String cut = URL_QUERY.matcher(message).replaceAll("$1?…");
    if (cut.length() <= FAILURE_MESSAGE_CHARS_MAX) {
      return cut;
    }
    // Never keep half of a surrogate pair: a lone surrogate is no character, and no UTF-8 encoder takes it.
    int end = Character.isHighSurrogate(cut.charAt(FAILURE_MESSAGE_CHARS_MAX - 1)) ? FAILURE_MESSAGE_CHARS_MAX - 1 : FAILURE_MESSAGE_CHARS_MAX;
    return cut.substring(0, end) + "…";
  }

  /** libvirt's message and code go to the controller; the stack trace never does. */
  static Ack failed(Command command, HypervisorException e) {
    String error = switch (e.kind()) {
      case NO_DOMAIN -> NO_SUCH_DOMAIN;
      case INVALID_STATE -> INCORRECT_STATE;
      case TIMEOUT -> TIMEOUT;
      case BUSY -> BUSY;
      case LIBRARY_MISSING, FAILED -> LIBVIRT_ERROR;
    };
    String code = e.libvirtCodeName() == null ? "" : " [" + e.libvirtCodeName() + " " + e.libvirtCode() + "]";
    return failed(command, error, e.getMessage() + code);
  }

  static Ack withHeldEpoch(Ack ack, long heldEpoch) {
    return new Ack(ack.commandId(), ack.ok(), ack.error(), ack.message(), heldEpoch, ack.result());
  }
}
