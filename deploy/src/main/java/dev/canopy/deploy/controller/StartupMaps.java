package dev.canopy.deploy.controller;

import dev.canopy.cloud.agents.EnrollmentTokens;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.consolelogin.ConsolePasswords;
import dev.canopy.cloud.consolelogin.ConsoleSessions;
import dev.canopy.cloud.events.EventJournal;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.grid.IndexedAttributes;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.latency.ControllerLatency;
import dev.canopy.cloud.membership.GridMembership;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.buckets.BucketUsagePushes;
import dev.canopy.cloud.metering.buckets.StorageSampling;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import java.util.List;

/**
 * The durable grid maps a controller's services open while it starts, loaded together ahead of
 * them ({@code Grid.preload}) so that their loads' waits overlap instead of adding up. A map
 * missing here still works: its service opens and loads it on its own, only one wait later.
 */
final class StartupMaps {

  static final List<String> NAMES = List.of(
      CertificateAuthority.MAP_NAME, EnrollmentTokens.MAP_NAME, NodeRegistry.MAP_NAME, MeteringService.MAP_NAME,
      IndexedAttributes.TAGS_MAP, IndexedAttributes.INSTANCES_MAP, BucketUsagePushes.MAP, GridMaps.BUCKETS,
      StorageSampling.MAP, ControllerLatency.MAP, EventJournal.EVENTS_MAP, EventJournal.HEAD_MAP,
      GridMaps.ACCOUNTS, GridMaps.ACCOUNT_NAMES, GridMaps.ACCESS_KEYS, KeyPairService.MAP,
      SecurityGroupService.GROUPS_MAP, SecurityGroupService.NAMES_MAP, SecurityGroupService.VPCS_MAP,
      ImageService.MAP, ImageService.NAMES_MAP, InstanceService.CLIENT_TOKENS_MAP, RunTimes.MAP, CapacityLedger.MAP,
      EpochMint.MAP, ControllerDirectory.MAP, ConsolePasswords.MAP, ConsoleSessions.MAP, GridMembership.MAP);

  private StartupMaps() {}
}
