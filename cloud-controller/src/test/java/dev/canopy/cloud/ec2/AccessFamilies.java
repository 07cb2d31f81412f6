package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.tags.Tagging;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-pair, security-group and tag families over the fixture's grid, wired as DevCloud wires
 * them; {@link #inUse} stands in for instances using a group.
 */
final class AccessFamilies {

  final Set<String> inUse = ConcurrentHashMap.newKeySet();

  List<Ec2Action> build(Ec2TestCloud.Parts parts) {
    GridTagStore tags = GridTagStore.onGrid(parts.grid());
    ResourceIds ids = new ResourceIds(parts.random());
    KeyPairService keyPairs = KeyPairService.onGrid(parts.grid(), tags, ids, parts.random(), parts.clock());
    SecurityGroupService groups = SecurityGroupService.onGrid(parts.grid(), tags, ids, (account, groupId) -> inUse.contains(groupId));
    TaggableResources taggable = new TaggableResources().register(keyPairs.taggableKind()).register(groups.taggableKind());
    List<Ec2Action> actions = new ArrayList<>();
    actions.addAll(KeyPairActions.of(keyPairs, tags));
    actions.addAll(SecurityGroupActions.of(groups, tags));
    actions.addAll(TagActions.of(new Tagging(tags, taggable)));
    return actions;
  }
}
