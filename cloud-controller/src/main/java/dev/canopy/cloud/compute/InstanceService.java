package dev.canopy.cloud.compute;

import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.images.ImageCatalog;
import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.node.protocol.DomainReport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The instance family's domain: one entry point per EC2 action, plus the hooks the node
 * registry calls (node availability, heartbeat reconciliation) and the hourly purge. Each role
 * lives in its own class: {@link InstanceLauncher}, {@link InstanceLifecycle}, {@link
 * InstanceQuery}, {@link Reconciler}, {@link InstanceModifier}, {@link InstanceStatusQuery}.
 * Thread safe: all state is in grid tables changed by compare-and-set; {@code random} must be
 * thread safe or is used under its own lock.
 */
public final class InstanceService {

  /** InstanceId.N (and VolumeId.N) is bounded like EC2's filters: more ids than this in one call is refused. */
  public static final int IDS_MAX = 1000;

  /** Grid maps this service keeps. */
  public static final String INSTANCES_MAP = InstanceStore.MAP;
  public static final String CLIENT_TOKENS_MAP = "client-tokens";
  /**
   * How many instance records a controller keeps decoded ({@link dev.canopy.core.cache.KeyedMemo}):
   * a DescribeInstances page of 1,000 and then some, at about 3 KB each (stored text and record).
   */
  public static final int RECORDS_REMEMBERED = 8192;
  /** How long a command waits for its ack before it counts as failed. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** What the service needs from other families and the transport. */
  public record Dependencies(
      InstanceTypes types, ImageCatalog images, KeyPairCheck keyPairs, SecurityGroupCheck groups, TagStore tags,
      Scheduler scheduler, NodeCommands commands, Leadership leadership, List<String> zones) {}

  private final InstanceStore store;
  private final InstanceLauncher launcher;
  private final InstanceLifecycle lifecycle;
  private final InstanceQuery query;
  private final Reconciler reconciler;
  private final InstanceModifier modifier;
  private final InstanceStatusQuery statusQuery;
  private final InstantSource clock;
  private final TagStore tags;
  private final FirewallSync firewalls;
  private final ConsoleReader console;

  public InstanceService(Table<Instance> instances, Table<ClientTokenRecord> tokens, Table<RunTime> runTimes, Dependencies deps,
      RandomGenerator random, InstantSource clock) {
    this(instances, tokens, runTimes, deps, random, clock, LaunchQuota.NONE);
  }

  /** With per-account launch quotas, checked by RunInstances before it reserves capacity. */
  public InstanceService(Table<Instance> instances, Table<ClientTokenRecord> tokens, Table<RunTime> runTimes, Dependencies deps,
      RandomGenerator random, InstantSource clock, LaunchQuota quota) {
    this(instances, tokens, runTimes, deps, random, clock, quota, GuestSetup.NONE);
  }

  /** For real guests: nodes fetch images as {@code guests} says and get firewalls from security groups. */
  public InstanceService(Table<Instance> instances, Table<ClientTokenRecord> tokens, Table<RunTime> runTimes, Dependencies deps,
      RandomGenerator random, InstantSource clock, LaunchQuota quota, GuestSetup guests) {
    ResourceIds ids = new ResourceIds(random);
    this.store = new InstanceStore(instances, new RunTimes(runTimes), clock);
    this.clock = clock;
    this.tags = deps.tags();
    CommandSender sender = new CommandSender(deps.commands(), deps.leadership(), ids, COMMAND_TIMEOUT);
    this.firewalls = new FirewallSync(store, guests.firewalls(), sender);
    this.console = new ConsoleReader(sender, deps.leadership(), clock);
    InstanceSpecs specs = new InstanceSpecs(deps.types(), deps.images(), deps.keyPairs(), guests.images(), firewalls);
    this.launcher = new InstanceLauncher(store, tokens, deps.types(), deps.images(), deps.keyPairs(), deps.groups(), deps.tags(),
        deps.scheduler(), deps.leadership(), sender, deps.zones(), ids, random, clock, quota, guests.images(), specs, firewalls);
    this.lifecycle = new InstanceLifecycle(store, deps.scheduler(), deps.leadership(), sender, specs, firewalls, clock);
    this.query = new InstanceQuery(store, deps.tags(), clock);
    this.reconciler = new Reconciler(store, lifecycle, clock);
    this.modifier = new InstanceModifier(store, deps.types(), deps.groups(), deps.scheduler(), deps.leadership(), clock);
    this.statusQuery = new InstanceStatusQuery(store, clock);
  }

  /** Records every instance state transition in the event log, with the instance's account. */
  public InstanceService withEvents(dev.canopy.cloud.events.EventRecorder recorder) {
    store.recordTransitionsIn(recorder);
    return this;
  }

  /** Every account's instances still visible (terminated ones for their hour) that match: the operator's view. */
  public List<Instance> everyInstance(java.util.function.Predicate<Instance> filter) {
    return store.everyVisible(filter, clock.instant());
  }

  public Reservation run(String accountId, LaunchRequest request) {
    return launcher.run(accountId, request);
  }

  public InstancePage describe(String accountId, List<String> ids, List<Filter> filters, Integer maxResults, String nextToken) {
    return query.describe(accountId, ids, filters, maxResults, nextToken);
  }

  public List<StateChange> start(String accountId, List<String> ids) {
    return lifecycle.start(accountId, ids);
  }

  public List<StateChange> stop(String accountId, List<String> ids, boolean force) {
    return lifecycle.stop(accountId, ids, force);
  }

  public void reboot(String accountId, List<String> ids) {
    lifecycle.reboot(accountId, ids);
  }

  public List<StateChange> terminate(String accountId, List<String> ids) {
    return lifecycle.terminate(accountId, ids);
  }

  /**
   * DescribeInstanceAttribute: the instance whose attribute is asked for (the API layer picks
   * the one to render).
   *
   * @throws dev.canopy.api.error.AwsException InvalidInstanceID.NotFound / .Malformed
   */
  public Instance describeAttributes(String accountId, String instanceId) {
    return store.owned(accountId, List.of(instanceId), clock.instant()).get(0);
  }

  /** ModifyInstanceAttribute: one attribute per call; see {@link InstanceModifier} for the rules. */
  public Instance modifyAttribute(String accountId, String instanceId, AttributeChange change) {
    Instance changed = modifier.modify(accountId, instanceId, change);
    // Groups and the source/destination check live in the host firewall; resending it is harmless.
    firewalls.refresh(accountId, i -> i.instanceId().equals(instanceId));
    return changed;
  }

  /** DescribeInstanceStatus; see {@link InstanceStatus#of} for how each status is derived. */
  public InstanceStatusPage describeStatus(String accountId, List<String> ids, boolean includeAll, List<Filter> filters,
      Integer maxResults, String nextToken) {
    return statusQuery.describe(accountId, ids, includeAll, filters, maxResults, nextToken);
  }

  /**
   * True when the account can see the instance: for the tag family's {@code TaggableResources}
   * (prefix {@code i}, code {@code InvalidInstanceID.NotFound}).
   */
  public boolean exists(String accountId, String instanceId) {
    try {
      store.owned(accountId, List.of(instanceId), clock.instant());
      return true;
    } catch (dev.canopy.api.error.AwsException e) {
      return false;
    }
  }

  /**
   * RunInstances' TagSpecification with ResourceType volume: the tags go on each launched
   * instance's root volume ({@code vol-} + the instance id's hex digits), as EC2 tags the volumes
   * it creates at launch. Idempotent, so a retried launch (same ClientToken) may repeat it.
   */
  public void tagRootVolumes(String accountId, List<String> volumeIds, Map<String, String> volumeTags) {
    if (!volumeTags.isEmpty()) {
      volumeIds.forEach(id -> tags.put(accountId, id, "volume", volumeTags));
    }
  }

  /** The instance's tags, for rendering {@code tagSet}. */
  public Map<String, String> tagsOf(String accountId, String instanceId) {
    return query.tagsOf(accountId, instanceId);
  }

  /** The tags of each of these instances that has any, by id, read in one call: for rendering a page. */
  public Map<String, Map<String, String>> tagsOfEach(String accountId, List<String> instanceIds) {
    return query.tagsOfEach(accountId, instanceIds);
  }

  /**
   * For the node registry: a node stopped (false) or resumed (true) heart-beating. Its
   * instances are flagged impaired meanwhile; they never disappear.
   */
  /** GetConsoleOutput: the newest serial console output the instance's node has. */
  public ConsoleOutput consoleOutput(String accountId, String instanceId) {
    return console.read(store.owned(accountId, List.of(instanceId), clock.instant()).get(0));
  }

  /** The private addresses of the account's live instances in a group (rules that name the group allow them). */
  public List<String> memberAddresses(String accountId, String groupId) {
    return store.live(accountId).stream()
        .filter(i -> i.privateIp() != null && i.groups().stream().anyMatch(g -> g.groupId().equals(groupId)))
        .map(Instance::privateIp)
        .toList();
  }

  /** A security group's rules changed: the firewalls of the account's instances using it follow. */
  public void groupRulesChanged(String accountId, String groupId) {
    firewalls.groupChanged(accountId, groupId);
  }

  public void nodeAvailability(String nodeId, boolean available) {
    lifecycle.nodeAvailability(nodeId, available);
  }

  /** For the node registry, on each heartbeat: align recorded states with what libvirt runs. */
  public void reconcile(String nodeId, List<DomainReport> domains) {
    reconciler.reconcile(nodeId, domains);
  }

  /**
   * Reconciles with a heartbeat received at {@code receivedAt}: instances whose state changed
   * after it was taken are left for a later heartbeat.
   */
  public void reconcile(String nodeId, List<DomainReport> domains, java.time.Instant receivedAt) {
    reconciler.reconcile(nodeId, domains, receivedAt);
  }

  /**
   * Removes terminated instances older than an hour, after recording every instance's run time
   * (so a run-time write lost in a failure or a leader change is made now, at the instants its
   * record holds); call it periodically, on the lease holder.
   */
  public int purgeExpired() {
    return store.purgeExpired(clock.instant());
  }
}
