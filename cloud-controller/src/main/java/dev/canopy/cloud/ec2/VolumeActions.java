package dev.canopy.cloud.ec2;

import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.volumes.RootVolume;
import dev.canopy.cloud.volumes.RootVolumes;
import java.util.List;

/**
 * DescribeVolumes: each live instance's root volume ({@link RootVolumes}). MaxResults is
 * accepted and the whole answer comes in one page (no NextToken): an account's volumes are
 * bounded by its instances.
 */
public final class VolumeActions {

  private VolumeActions() {}

  public static List<Ec2Action> of(RootVolumes volumes) {
    return List.of(NamedAction.of("DescribeVolumes", (request, xml) -> {
      QueryParams p = request.params();
      List<RootVolume> found = volumes.describe(request.principal().accountId(), p.list("VolumeId"), p.filters());
      xml.start("volumeSet");
      found.forEach(v -> render(xml, v));
      xml.end();
    }));
  }

  private static void render(XmlWriter xml, RootVolume v) {
    String created = Ec2Xml.time(v.createTime());
    xml.start("item")
        .element("volumeId", v.volumeId())
        .element("size", v.sizeGib())
        .element("snapshotId", "")
        .element("availabilityZone", v.zone())
        .element("status", "in-use")
        .element("createTime", created)
        .start("attachmentSet")
        .start("item")
        .element("volumeId", v.volumeId())
        .element("instanceId", v.instanceId())
        .element("device", v.device())
        .element("status", "attached")
        .element("attachTime", created)
        .element("deleteOnTermination", true)
        .end()
        .end()
        .element("volumeType", RootVolumes.VOLUME_TYPE)
        .element("encrypted", false)
        .element("multiAttachEnabled", false);
    Ec2Tags.render(xml, v.tags());
    xml.end();
  }
}
