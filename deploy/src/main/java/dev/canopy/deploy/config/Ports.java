package dev.canopy.deploy.config;

/**
 * Every port a Canopy process listens on; 0 asks the OS for a free one. Client-facing ports and
 * the agent port default to DESIGN's well-known ports. The peer ports ({@code lease}, {@code grid},
 * {@code kv}, {@code directory}) are null unless configured: the role then picks — the fixed
 * well-known port in a multi-process cloud, where peers dial it, any free port in the cloud in a
 * box, whose roles find each other in the same process. {@code riak} (the storage role's Riak
 * HTTP interface) defaults to Riak's own 8098; {@code peer} (storage node to storage node) is a
 * peer port like the others.
 */
public record Ports(Integer ec2, Integer s3, Integer console, Integer management, Integer agent,
    Integer lease, Integer grid, Integer kv, Integer directory, Integer riak, Integer peer) {

  public static final int S3_DEFAULT = 8779;
  public static final int LEASE_DEFAULT = 8776;
  public static final int GRID_DEFAULT = 5701;
  public static final int KV_DEFAULT = 8777;
  public static final int DIRECTORY_DEFAULT = 8782;
  public static final int RIAK_DEFAULT = 8098;
  public static final int PEER_DEFAULT = 8783;

  public Ports {
    ec2 = valid("ports.ec2", ec2, 8773);
    s3 = valid("ports.s3", s3, S3_DEFAULT);
    console = valid("ports.console", console, 8780);
    management = valid("ports.management", management, 8781);
    agent = valid("ports.agent", agent, 8775);
    lease = valid("ports.lease", lease, null);
    grid = valid("ports.grid", grid, null);
    kv = valid("ports.kv", kv, null);
    directory = valid("ports.directory", directory, null);
    riak = valid("ports.riak", riak, RIAK_DEFAULT);
    peer = valid("ports.peer", peer, null);
  }

  /** Without the storage role's ports: each keeps its default. */
  public Ports(Integer ec2, Integer s3, Integer console, Integer management, Integer agent,
      Integer lease, Integer grid, Integer kv, Integer directory) {
    this(ec2, s3, console, management, agent, lease, grid, kv, directory, null, null);
  }

  /** The client-facing ports only; the agent port and the peer ports keep their defaults. */
  public Ports(Integer ec2, Integer s3, Integer console, Integer management) {
    this(ec2, s3, console, management, null, null, null, null, null);
  }

  /** Each non-null argument replaces the current value. */
  public Ports override(Integer ec2Port, Integer s3Port, Integer consolePort, Integer managementPort) {
    return override(ec2Port, s3Port, consolePort, managementPort, null);
  }

  /** Each non-null argument replaces the current value. */
  public Ports override(Integer ec2Port, Integer s3Port, Integer consolePort, Integer managementPort, Integer agentPort) {
    return new Ports(
        ec2Port != null ? ec2Port : ec2,
        s3Port != null ? s3Port : s3,
        consolePort != null ? consolePort : console,
        managementPort != null ? managementPort : management,
        agentPort != null ? agentPort : agent,
        lease, grid, kv, directory, riak, peer);
  }

  /** With the Riak HTTP port replaced when {@code riakPort} is not null. */
  public Ports withRiak(Integer riakPort) {
    return new Ports(ec2, s3, console, management, agent, lease, grid, kv, directory,
        riakPort != null ? riakPort : riak, peer);
  }

  /** With the peer ports a role picks when the configuration names none. */
  public Ports withPeerDefaults(int leasePort, int gridPort, int kvPort, int directoryPort, int peerPort) {
    return new Ports(ec2, s3, console, management, agent,
        lease != null ? lease : leasePort,
        grid != null ? grid : gridPort,
        kv != null ? kv : kvPort,
        directory != null ? directory : directoryPort,
        riak,
        peer != null ? peer : peerPort);
  }

  private static Integer valid(String key, Integer value, Integer fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < 0 || value > 65535) {
      throw new ConfigException(key, value + " is not a port (0-65535)");
    }
    return value;
  }
}
