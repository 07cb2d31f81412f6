package dev.canopy.deploy.controller;

import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.admin.AdminApi;
import dev.canopy.cloud.agents.RegistryNodes;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.compute.ComputeErrors;
import dev.canopy.cloud.compute.GuestSetup;
import dev.canopy.cloud.consoleapi.ConsolePages;
import dev.canopy.cloud.consoleapi.SessionApi;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import dev.canopy.cloud.consolelogin.ConsolePasswords;
import dev.canopy.cloud.consolelogin.ConsoleSessions;
import dev.canopy.cloud.consolelogin.LoginThrottle;
import dev.canopy.cloud.consoles3.S3Proxy;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.ec2.Ec2Actions;
import dev.canopy.cloud.ec2.Ec2Server;
import dev.canopy.cloud.ec2.Ec2Throttle;
import dev.canopy.cloud.ec2.KeyPairActions;
import dev.canopy.cloud.ec2.LeaderForwarding;
import dev.canopy.cloud.ec2.RegionCatalog;
import dev.canopy.cloud.ec2.SecurityGroupActions;
import dev.canopy.cloud.ec2.SessionEc2Api;
import dev.canopy.cloud.ec2.TagActions;
import dev.canopy.cloud.events.EventJournal;
import dev.canopy.cloud.events.EventTypes;
import dev.canopy.cloud.eventsapi.EventFeed;
import dev.canopy.cloud.eventsapi.EventsApi;
import dev.canopy.cloud.eventsapi.SampleNotices;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.hostsapi.HostsApi;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.identity.ResourceOwnership;
import dev.canopy.cloud.images.ImageCatalog;
import dev.canopy.cloud.images.ImageObjects;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.leadership.EpochGate;
import dev.canopy.cloud.limits.AccountLimits;
import dev.canopy.cloud.limits.Quotas;
import dev.canopy.cloud.metering.usage.UsageQueries;
import dev.canopy.cloud.operatorapi.CloudOverview;
import dev.canopy.cloud.operatorapi.OperatorApi;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.securitygroups.GroupFirewalls;
import dev.canopy.cloud.securitygroups.GroupUsage;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.tags.Tagging;
import dev.canopy.cloud.usageapi.BillingReportApi;
import dev.canopy.cloud.usageapi.UsageApi;
import dev.canopy.core.limits.TokenBuckets;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.management.Health;
import dev.canopy.deploy.management.ManagementServer;
import dev.canopy.deploy.process.ServerStack;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What every controller serves, in the cloud in a box and in a cluster alike: identity, key
 * pairs, security groups, images and instances behind the EC2 endpoint, the admin API and the
 * management port, all over one grid and one {@link LeadershipPlane}. Built once per process;
 * the caller owns the servers' lifecycle through {@link #listen}.
 */
public final class ControlServices {

  /** What the services are built from. */
  public record Parts(Vertx vertx, Grid grid, SecretBox secrets, CanopyConfig config, Time clock, SecureRandom random,
      AgentPlane agents, LeadershipPlane leadership, PrometheusMeterRegistry metrics) {}

  private static final java.time.Duration ANNOUNCE_TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final java.time.Duration ANNOUNCE_EVERY = java.time.Duration.ofSeconds(2);
  private static final java.time.Duration EVENT_PRUNE_EVERY = java.time.Duration.ofMinutes(1);

  final IdentityService identity;
  /** The event log every controller appends to and reads. */
  final EventJournal events;
  final ComputePlane compute;
  final SecurityGroupService securityGroups;
  final PrometheusMeterRegistry metrics;
  private final Parts parts;
  private final Ec2Actions actions;
  private final UsageQueries usageQueries;
  private TlsCredentials consoleTls;
  private dev.canopy.cloud.membership.GridMembership controllerSet;
  private CloudOverview cloudOverview = java.util.Map::of;

  /**
   * @param guests what instances need from images and groups to boot as real guests, given the
   *     catalog and this plane's groups; {@code (c, g) -> GuestSetup.NONE} for test-driver nodes
   * @param usageQueries the metering store's read side, behind the billing report and the tenant
   *     usage API; null serves neither (404)
   */
  public ControlServices(Parts parts, ImageObjects imageObjects, GuestsFactory guests, UsageQueries usageQueries) {
    this.parts = parts;
    this.usageQueries = usageQueries;
    Grid grid = parts.grid();
    CanopyConfig config = parts.config();
    metrics = parts.metrics();
    events = EventJournal.onGrid(grid, config.eventLog().limits(), parts.clock());
    identity = IdentityService.onGrid(grid, parts.secrets(), parts.random(), parts.clock()).withEvents(events);
    parts.agents().nodes().withEvents(events);
    // Like AWS, DescribeRegions names the endpoint's host (no scheme, no port).
    actions = Ec2Actions.forCloud(new RegionCatalog(config.region(), config.zones(), config.bindAddress()));
    GridTagStore tags = GridTagStore.onGrid(grid);
    ResourceIds ids = new ResourceIds(parts.random());
    Quotas quotas = new Quotas(accountLimits(config));
    KeyPairService keyPairs = KeyPairService.onGrid(grid, tags, ids, parts.random(), parts.clock()).withQuota(quotas.keyPairs());
    // Groups and instances refer to each other: a group is in use while an instance names it.
    AtomicReference<ComputePlane> computeRef = new AtomicReference<>();
    GroupUsage usage = (accountId, groupId) -> computeRef.get() != null && computeRef.get().groupInUse(accountId, groupId);
    LeadershipPlane leadership = parts.leadership();
    securityGroups = SecurityGroupService.onGrid(grid, tags, ids, usage).withQuota(quotas.securityGroups())
        .withRuleChanges(new SecurityGroupService.RuleChanges() {
          @Override
          public void changed(String accountId, String groupId) {
            computeRef.get().instances.groupRulesChanged(accountId, groupId);
          }

          @Override
          public void admit(String accountId, String groupId) {
            // Only the holder's commands reach the agents: a follower's rule change is forwarded to it.
            if (!leadership.leadership().isLeader()) {
              throw ComputeErrors.notLeader();
            }
          }
        });
    // The gate announces the epoch to each agent before the first command of it. Looked up per
    // call: the agent port starts after the EC2 endpoint.
    EpochGate toAgents = new EpochGate((node, command, timeout) -> parts.agents().commands().send(node, command, timeout),
        epoch -> {
          metrics.counter("canopy.fencing.refusals", "by", "agent").increment();
          leadership.newerEpochSeen(epoch);
        });
    // A holder announces its epoch to every enrolled node at once, so a stale holder's commands are
    // refused even by nodes this holder has not commanded yet; and again every few seconds while it
    // leads, for nodes that were not connected to it then (acked announcements are not resent).
    Runnable announce = () -> {
      if (leadership.leadership().isLeader()) {
        toAgents.announceToAll(parts.agents().nodes().list().stream().map(n -> n.nodeId()).toList(),
            leadership.leadership().epoch(), ANNOUNCE_TIMEOUT);
      }
    };
    Runnable offLoop = () -> parts.vertx().executeBlocking(() -> {
      announce.run();
      return null;
    }, false);
    leadership.onLeading(epoch -> offLoop.run());
    java.util.function.LongConsumer holderEvent = epoch -> parts.vertx().executeBlocking(() -> {
      events.record(EventTypes.LEASE_HOLDER, null, "controller " + leadership.selfId(), Map.of("epoch", Long.toString(epoch)));
      return null;
    }, false);
    leadership.onLeading(holderEvent);
    // A sole controller (the cloud in a box) already holds the lease when the services are built.
    if (leadership.leadership().isLeader()) {
      holderEvent.accept(leadership.leadership().epoch());
    }
    parts.vertx().setPeriodic(ANNOUNCE_EVERY.toMillis(), id -> offLoop.run());
    // The holder trims the event log to its bounds (any controller could: removals are idempotent).
    parts.vertx().setPeriodic(EVENT_PRUNE_EVERY.toMillis(), id -> {
      if (leadership.leadership().isLeader()) {
        parts.vertx().executeBlocking(events::prune, false)
            .onFailure(e -> org.slf4j.LoggerFactory.getLogger(ControlServices.class).warn("the event log was not pruned: {}", e.toString()));
      }
    });
    GroupFirewalls.GroupMembers members = (accountId, groupId) -> computeRef.get().instances.memberAddresses(accountId, groupId);
    ComputePlane compute = new ComputePlane(grid,
        new RegistryNodes(parts.agents().nodes(), nodeId -> parts.agents().hasSession(nodeId)), toAgents, leadership.leadership(),
        keyPairs, securityGroups, tags, imageObjects, config.zones(), parts.random(), parts.clock(), quotas,
        catalog -> guests.create(catalog, securityGroups, members));
    compute.instances.withEvents(events);
    computeRef.set(compute);
    this.compute = compute;
    TaggableResources taggable = new TaggableResources().register(keyPairs.taggableKind()).register(securityGroups.taggableKind());
    actions.register(KeyPairActions.of(keyPairs, tags));
    actions.register(SecurityGroupActions.of(securityGroups, tags));
    actions.register(TagActions.of(new Tagging(tags, taggable)));
    compute.register(actions, taggable);
  }

  /** Serves the console port over HTTPS with these credentials (a controller outside dev). Call before {@link #listen}. */
  public ControlServices withConsoleTls(TlsCredentials credentials) {
    this.consoleTls = credentials;
    return this;
  }

  /**
   * Serves the controller set ({@code /admin/v1/controllers}: list, join, leave) from this record;
   * call before {@link #listen}. A controller whose grid member runs alone serves none.
   */
  void withControllerSet(dev.canopy.cloud.membership.GridMembership membership) {
    this.controllerSet = membership;
  }

  /** What the operator's {@code GET /api/cloud} shows; call before {@link #listen}. */
  void withCloudOverview(CloudOverview overview) {
    this.cloudOverview = overview;
  }

  /** Builds the guest setup once the catalog and the groups exist. */
  @FunctionalInterface
  public interface GuestsFactory {
    GuestSetup create(ImageCatalog catalog, SecurityGroupService groups, GroupFirewalls.GroupMembers members);
  }

  /**
   * Starts the EC2, console (admin API) and management endpoints on the config's bind address and
   * records their URLs in {@code endpoints}; each server's stop goes into {@code servers}.
   *
   * @param credentials who may sign requests (tenants, plus any internal credential)
   * @param forwarding where a controller that does not lead sends leader-only EC2 calls; null in a box
   * @param consoleForwarding the same for the console's {@code /api/ec2}: the holder's console endpoint; null in a box
   * @param s3 the cloud's S3 endpoints, which the console's bucket browser calls as the session's account
   * @param health what {@code /health} and {@code /readyz} report (a stopped grid member is reported here too)
   */
  public Future<Void> listen(CredentialLookup credentials, LeaderForwarding forwarding, LeaderForwarding consoleForwarding,
      Supplier<List<URI>> s3, Supplier<Health> health, Map<String, String> endpoints, ServerStack servers) {
    Vertx vertx = parts.vertx();
    CanopyConfig config = parts.config();
    String host = config.bindAddress();
    var ec2Verifier = new SigV4Verifier(
        credentials, parts.clock(), SigV4Verifier.SKEW_MAX_DEFAULT, config.region(), config.regionPolicy(), "ec2");
    var requestBuckets = new TokenBuckets(config.limits().requestsPerSecond(), config.limits().requestBurst(), parts.clock());
    Ec2Server ec2 = new Ec2Server(vertx, ec2Verifier, actions, metrics, Ec2Throttle.perAccount(requestBuckets, metrics))
        .withLeaderForwarding(forwarding)
        .withConnectionLimits(config.connections().limits());
    if (parts.agents().latency() != null) {
      ec2.withLatency(parts.agents().latency());
    }
    GridBucketRegistry buckets = new GridBucketRegistry(parts.grid());
    ResourceOwnership ownership = accountId -> buckets.listByOwner(accountId).stream().map(b -> "bucket " + b.name()).toList();
    var adminVerifier = new SigV4Verifier(credentials, parts.clock(), SigV4Verifier.SKEW_MAX_DEFAULT, config.region(), AdminApi.SIGNING_SERVICE);
    ConsolePasswords consolePasswords = ConsolePasswords.onGrid(parts.grid(), parts.random(), parts.clock());
    SessionCallers sessions = new SessionCallers(new ConsoleLogin(identity, consolePasswords,
        ConsoleSessions.onGrid(parts.grid(), parts.random(), parts.clock()), new LoginThrottle(LoginThrottle.Limits.DEFAULT, parts.clock())));
    SessionEc2Api sessionEc2 = new SessionEc2Api(vertx, sessions, ec2.dispatch(), consoleForwarding);
    if (consoleTls != null) {
      // The holder's console is HTTPS too: a forwarded call trusts the cloud CA's controller certificates.
      sessionEc2.withHolderTrust(TrustOptions.wrap(
          PeerCertificates.trustManager(consoleTls.ca(), parts.clock(), Set.of(PeerRole.CONTROLLER), "console → lease holder")));
    }
    AdminApi admin = new AdminApi(vertx, adminVerifier, identity, ownership, parts.agents().tokens(), parts.agents().nodes())
        .withMetering(parts.agents().metering())
        .withConsoleLogins(consolePasswords, sessions)
        .withConnectionLimits(config.connections().limits())
        .alsoServing(new SessionApi(vertx, sessions))
        .alsoServing(sessionEc2)
        .alsoServing(new S3Proxy(vertx, sessions, identity, s3, config.region(), parts.clock()))
        .alsoServing(new ConsolePages())
        .alsoServing(new EventsApi(vertx, adminVerifier, sessions, eventFeed(), parts.clock()))
        .alsoServing(new OperatorApi(vertx, adminVerifier, sessions, cloudOverview, compute.instances, compute.images, identity,
            GridTagStore.onGrid(parts.grid())));
    if (consoleTls != null) {
      admin.withTls(consoleTls.keyManagers());
    }
    if (controllerSet != null) {
      admin.withControllers(controllerSet);
    }
    if (parts.agents().hostMetrics() != null && parts.agents().latency() != null) {
      admin.withLatency(parts.agents().latency())
          .alsoServing(new HostsApi(vertx, adminVerifier, parts.agents().nodes(), compute::instancesOn, parts.agents().hostMetrics(),
              parts.agents().latency(), parts.clock()).withSessions(sessions));
    }
    if (usageQueries != null) {
      // The tenant usage API verifies as the admin API does (service canopy): a tenant's key names its account.
      PriceSheet prices = config.billing().priceSheet();
      admin.withBilling(usageQueries, prices)
          .alsoServing(new UsageApi(vertx, adminVerifier, identity, usageQueries, prices, parts.clock()).withSessions(sessions))
          .alsoServing(new BillingReportApi(vertx, adminVerifier, identity, usageQueries, prices).withSessions(sessions));
    }
    ManagementServer management = new ManagementServer(vertx, metrics, parts.grid()::isRunning,
        () -> parts.grid().isRunning() ? health.get() : Health.unavailable("its grid member is not running"))
        .withLease(parts.leadership()::statusJson)
        .withConnectionLimits(config.connections().limits());
    return ec2.listen(host, config.ports().ec2()).compose(port -> {
      servers.add(ec2::close);
      endpoints.put("ec2", "http://" + host + ":" + port);
      return admin.listen(host, config.ports().console());
    }).compose(port -> {
      servers.add(admin::close);
      endpoints.put("console", (consoleTls == null ? "http://" : "https://") + host + ":" + port);
      return management.listen(host, config.ports().management());
    }).map(port -> {
      servers.add(management::close);
      endpoints.put("management", "http://" + host + ":" + port);
      endpoints.put("hazelcast", parts.grid().address());
      endpoints.put("lease", "http://" + host + ":" + port + "/lease");
      endpoints.put("paxos", host + ":" + parts.leadership().boundPort());
      return null;
    });
  }

  /**
   * This controller's reader of the event log for its open streams, with the grid's sample notices
   * (published here for the batches this controller's agent port stores).
   */
  private EventFeed eventFeed() {
    SampleNotices notices = new SampleNotices(parts.grid(), parts.clock());
    parts.agents().metering().onStored(notices::stored);
    return new EventFeed(parts.vertx(), events, notices);
  }

  /** Tenants' and the administrator's keys, as SigV4 looks them up. */
  public CredentialLookup credentials() {
    return identity.credentials();
  }

  /** Reconciliation every {@code interval}, on whichever controller leads at each tick. */
  public ReconcileLoop startReconciling(java.time.Duration interval) {
    ReconcileLoop loop = new ReconcileLoop(parts.vertx(), parts.agents().nodes(), compute.instances, parts.leadership().leadership());
    loop.start(interval);
    return loop;
  }

  private static AccountLimits accountLimits(CanopyConfig config) {
    var l = config.limits();
    return new AccountLimits(l.instances(), l.vcpus(), l.keyPairs(), l.securityGroups(), l.requestsPerSecond(), l.requestBurst());
  }

  /** Guests on libvirt's test driver need neither images nor firewalls. */
  public static GuestsFactory noGuests() {
    return (catalog, groups, members) -> GuestSetup.NONE;
  }
}
