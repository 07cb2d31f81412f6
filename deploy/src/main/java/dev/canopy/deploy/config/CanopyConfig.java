package dev.canopy.deploy.config;

import dev.canopy.api.auth.RegionPolicy;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything a Canopy process can be told, read from one YAML file. Every key has a default, so
 * the cloud in a box needs no file; a key that is present is validated, and a bad value stops
 * start-up with a message naming the key.
 *
 * @param region the one region this cloud serves (the name clients sign requests for)
 * @param zones its availability zones
 * @param bindAddress the address client-facing endpoints listen on
 * @param ports client-facing ports (0 = any free port, reported in endpoints.json)
 * @param s3 S3 endpoint settings
 * @param limits per-account quotas and the EC2 request rate limit
 * @param connections caps and timeouts of every listener's connections
 * @param riak where the storage role's Riak HTTP interface listens
 * @param regionStrict EC2 and S3 refuse a signature made for another region, as AWS does; off
 *     (the default), any region is accepted so that tools which sign for us-east-1 work unchanged
 * @param billing the price sheet bills are made with
 * @param metering how long raw metering points are kept and when a month closes
 * @param console the console's names for its HTTPS certificate (outside dev)
 * @param eventLog how many events, and how old, the event log keeps
 * @param lease what the controllers' lease timings are derived from (delay, clock drift, failover target)
 */
public record CanopyConfig(
    String region, List<String> zones, String bindAddress, Ports ports, S3Settings s3, Limits limits, Connections connections,
    RiakSettings riak, Boolean regionStrict, Billing billing, Metering metering, ConsoleSettings console, EventLogSettings eventLog,
    LeaseSettings lease) {

  private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{1,30}[a-z0-9]");
  private static final Pattern ZONE = Pattern.compile("[a-z][a-z0-9-]{1,40}");

  public CanopyConfig {
    region = region == null ? "canopy-1" : region;
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException("region", "'" + region + "' is not a region name like canopy-1");
    }
    zones = zones == null ? List.of(region + "a") : List.copyOf(zones);
    if (zones.isEmpty()) {
      throw new ConfigException("zones", "a region needs at least one zone");
    }
    for (String zone : zones) {
      if (!ZONE.matcher(zone).matches() || !zone.startsWith(region)) {
        throw new ConfigException("zones", "'" + zone + "' is not a zone name of region " + region + " (like " + region + "a)");
      }
    }
    bindAddress = bindAddress == null ? "127.0.0.1" : bindAddress;
    if (bindAddress.isBlank()) {
      throw new ConfigException("bindAddress", "must be an address such as 127.0.0.1");
    }
    ports = ports == null ? new Ports(null, null, null, null) : ports;
    s3 = s3 == null ? new S3Settings(null, null, null, null, null) : s3;
    limits = limits == null ? Limits.defaults() : limits;
    connections = connections == null ? Connections.defaults() : connections;
    riak = riak == null ? new RiakSettings(null) : riak;
    regionStrict = regionStrict != null && regionStrict;
    billing = billing == null ? Billing.defaults() : billing;
    metering = metering == null ? Metering.defaults() : metering;
    console = console == null ? new ConsoleSettings(null) : console;
    eventLog = eventLog == null ? EventLogSettings.defaults() : eventLog;
    lease = lease == null ? LeaseSettings.defaults() : lease;
  }

  /** Which signing regions EC2 and S3 accept. */
  public RegionPolicy regionPolicy() {
    return RegionPolicy.strict(regionStrict);
  }

  public static CanopyConfig defaults() {
    return new CanopyConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public CanopyConfig withPorts(Ports newPorts) {
    return new CanopyConfig(region, zones, bindAddress, newPorts, s3, limits, connections, riak, regionStrict, billing, metering, console,
        eventLog, lease);
  }

  public CanopyConfig withBindAddress(String address) {
    return new CanopyConfig(region, zones, address, ports, s3, limits, connections, riak, regionStrict, billing, metering, console,
        eventLog, lease);
  }
}
