package dev.canopy.node.hypervisor;

/**
 * A hypervisor call that failed, as a value the agent can turn into an Ack: a {@link Kind} to
 * branch on, libvirt's own error code and name when libvirt produced it, and libvirt's message.
 * Handlers never send the stack trace to the controller; only {@link #getMessage()}.
 */
public final class HypervisorException extends RuntimeException {

  /** What the caller can branch on. */
  public enum Kind {
    /** No domain with that name (libvirt VIR_ERR_NO_DOMAIN). */
    NO_DOMAIN,
    /** The domain is in the wrong state for the operation (VIR_ERR_OPERATION_INVALID). */
    INVALID_STATE,
    /** The call did not finish within its time bound; its outcome is unknown. */
    TIMEOUT,
    /** Too many calls already queued for the hypervisor; nothing was attempted. */
    BUSY,
    /** libvirt's C library (Debian package libvirt0) could not be loaded. */
    LIBRARY_MISSING,
    /** Any other libvirt error; see {@link #libvirtCode()}. */
    FAILED
  }

  /** libvirt's virErrorNumber values this code branches on (libvirt's include/libvirt/virterror.h). */
  static final int VIR_ERR_NO_DOMAIN = 42;
  static final int VIR_ERR_OPERATION_INVALID = 55;
  static final int VIR_ERR_NO_DOMAIN_METADATA = 80;

  private static final long serialVersionUID = 1L;
  /** Not a libvirt error (timeouts, a full queue, a missing library). */
  public static final int NO_LIBVIRT_CODE = -1;

  private final Kind kind;
  private final String operation;
  private final int libvirtCode;
  private final String libvirtCodeName;

  public HypervisorException(
      Kind kind, String operation, int libvirtCode, String libvirtCodeName, String message, Throwable cause) {
    super(operation + ": " + message, cause);
    this.kind = kind;
    this.operation = operation;
    this.libvirtCode = libvirtCode;
    this.libvirtCodeName = libvirtCodeName;
  }

  /** An error that did not come from libvirt. */
  public static HypervisorException of(Kind kind, String operation, String message) {
    return new HypervisorException(kind, operation, NO_LIBVIRT_CODE, null, message, null);
  }

  /** Classifies a libvirt error code. */
  public static Kind kindOf(int libvirtCode) {
    return switch (libvirtCode) {
      case VIR_ERR_NO_DOMAIN -> Kind.NO_DOMAIN;
      case VIR_ERR_OPERATION_INVALID -> Kind.INVALID_STATE;
      default -> Kind.FAILED;
    };
  }

  public Kind kind() {
    return kind;
  }

  /** The Hypervisor operation that failed ("define", "start", ...). */
  public String operation() {
    return operation;
  }

  /** libvirt's virErrorNumber, or {@link #NO_LIBVIRT_CODE}. */
  public int libvirtCode() {
    return libvirtCode;
  }

  /** libvirt's name for the code ("VIR_ERR_NO_DOMAIN"), or null. */
  public String libvirtCodeName() {
    return libvirtCodeName;
  }
}
