package dev.canopy.node.protocol;

/**
 * The agent protocol's HTTP paths and WebSocket message envelope. Every WebSocket message is
 * one JSON text frame {@code {"v":1,"type":...,...}}; a receiver ignores (and logs) a message
 * of a version or type it does not know, so either side can be upgraded first. See
 * docs/agent-protocol.md.
 */
public final class AgentMessages {

  public static final int VERSION = 1;
  public static final String ENROLL_PATH = "/v1/enroll";
  public static final String SESSION_PATH = "/v1/agent";
  public static final int DEFAULT_PORT = 8775;

  /** agent → controller: {@code {capacity: HostCapacity, load: HostLoad, domains: [DomainReport]}}. */
  public static final String HEARTBEAT = "heartbeat";
  /** agent → controller: {@code {ack: Ack}}. */
  public static final String ACK = "ack";
  /** agent → controller: {@code {batchId, samples: [...]}}; answered with {@link #SAMPLE_BATCH_ACK}. */
  public static final String SAMPLE_BATCH = "sampleBatch";
  /**
   * agent → controller: {@code {batchId, samples: [HostSample]}}, the host's own metrics; answered
   * with {@link #HOST_SAMPLES_ACK} once stored. A resend stores nothing twice (a second a series
   * already holds keeps its first value).
   */
  public static final String HOST_SAMPLES = "hostSamples";
  /** controller → agent: {@code {command: Command}}. */
  public static final String COMMAND = "command";
  /** controller → agent: {@code {batchId}} once the batch is durable (also for a repeated batch). */
  public static final String SAMPLE_BATCH_ACK = "sampleBatchAck";
  /** controller → agent: {@code {batchId}} once the host samples are stored (also for a repeated batch). */
  public static final String HOST_SAMPLES_ACK = "hostSamplesAck";
  /** controller → agent: {@code {controllers: [...]}}, every controller's agent-port URL (sent when the set changed). */
  public static final String CONTROLLERS = "controllers";
  /**
   * agent → controller: {@code {csrPem}}, a new key's CSR, once two thirds of the node
   * certificate's lifetime have passed ({@link CertificateLifetime}).
   */
  public static final String RENEW = "renew";
  /**
   * controller → agent: {@code {certificatePem}}, the node's new certificate for that CSR (same node id,
   * a full lifetime), or {@code {code, message}} when refused (InvalidCsr, TooSoon, Unavailable).
   */
  public static final String RENEWED = "renewed";

  /** Largest WebSocket message either side accepts. */
  public static final int MESSAGE_BYTES_MAX = 1024 * 1024;

  private AgentMessages() {}
}
