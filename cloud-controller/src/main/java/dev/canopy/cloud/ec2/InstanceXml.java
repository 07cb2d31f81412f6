package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.GroupRef;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.compute.InstanceStatus;
import dev.canopy.cloud.compute.StateChange;
import dev.canopy.cloud.volumes.RootVolumes;
import java.util.List;
import java.util.Map;

/**
 * An instance in EC2's {@code Instance} shape, and the reservation, state-change, instance
 * attribute and instance status shapes.
 */
final class InstanceXml {

  /** Where every instance's root disk appears, as EC2 names it. */
  static final String ROOT_DEVICE_NAME = "/dev/sda1";

  private InstanceXml() {}

  static void reservation(XmlWriter xml, String reservationId, String ownerId, List<Instance> instances,
      Map<String, Map<String, String>> tags, RenderedInstances items) {
    xml.element("reservationId", reservationId).element("ownerId", ownerId).start("groupSet").end();
    xml.start("instancesSet");
    for (Instance i : instances) {
      items.item(xml, i, tags.getOrDefault(i.instanceId(), Map.of()));
    }
    xml.end();
  }

  static void instance(XmlWriter xml, Instance i, Map<String, String> tags) {
    xml.start("item")
        .element("instanceId", i.instanceId())
        .element("imageId", i.imageId());
    state(xml, "instanceState", i.state());
    xml.element("privateDnsName", i.privateIp() == null ? "" : "ip-" + i.privateIp().replace('.', '-') + ".ec2.internal")
        .element("dnsName", "")
        .element("reason", i.stateTransitionReason() == null ? "" : i.stateTransitionReason())
        .optionalElement("keyName", i.keyName())
        .element("amiLaunchIndex", i.amiLaunchIndex())
        .start("productCodes").end()
        .element("instanceType", i.instanceType())
        .element("launchTime", Ec2Xml.time(i.launchTime()))
        .start("placement").element("availabilityZone", i.zone()).element("groupName", "").element("tenancy", "default").end()
        .optionalElement("kernelId", i.kernelId())
        .optionalElement("ramdiskId", i.ramdiskId())
        .start("monitoring").element("state", "disabled").end()
        .optionalElement("privateIpAddress", i.privateIp());
    groupSet(xml, i.groups());
    if (i.stateReason() != null) {
      xml.start("stateReason").element("code", i.stateReason().code()).element("message", i.stateReason().message()).end();
    }
    xml.element("architecture", "x86_64")
        .element("rootDeviceType", "ebs")
        .element("rootDeviceName", ROOT_DEVICE_NAME);
    // The root volume DescribeVolumes shows (RootVolumes), while the instance is not terminated:
    // Terraform reads root_block_device from this mapping and DescribeVolumes of its volume ids.
    xml.start("blockDeviceMapping");
    if (i.state() != InstanceState.TERMINATED) {
      xml.start("item").element("deviceName", ROOT_DEVICE_NAME)
          .start("ebs")
          .element("volumeId", RootVolumes.volumeIdOf(i.instanceId()))
          .element("status", "attached")
          .element("attachTime", Ec2Xml.time(i.launchTime()))
          .element("deleteOnTermination", true)
          .end()
          .end();
    }
    xml.end()
        .element("virtualizationType", "hvm")
        .optionalElement("clientToken", i.clientToken());
    Ec2Xml.tagSet(xml, tags);
    xml.element("hypervisor", "xen")
        .start("networkInterfaceSet").end()
        .element("ebsOptimized", false)
        .element("sourceDestCheck", i.attributes().sourceDestCheck())
        .end();
  }

  static void stateChanges(XmlWriter xml, List<StateChange> changes) {
    xml.start("instancesSet");
    for (StateChange c : changes) {
      xml.start("item").element("instanceId", c.instanceId());
      state(xml, "currentState", c.current());
      state(xml, "previousState", c.previous());
      xml.end();
    }
    xml.end();
  }

  /** DescribeInstanceAttribute's {@code InstanceAttribute}: the id and the one attribute asked for. */
  static void attribute(XmlWriter xml, Instance i, String attribute) {
    xml.element("instanceId", i.instanceId());
    switch (attribute) {
      case "instanceType" -> value(xml, attribute, i.instanceType());
      case "kernel" -> value(xml, attribute, i.kernelId());
      case "ramdisk" -> value(xml, attribute, i.ramdiskId());
      case "userData" -> value(xml, attribute, i.userData());
      case "rootDeviceName" -> value(xml, attribute, ROOT_DEVICE_NAME);
      case "sriovNetSupport" -> value(xml, attribute, null);
      case "instanceInitiatedShutdownBehavior" -> value(xml, attribute, i.attributes().shutdownBehavior().wireName());
      case "disableApiTermination" -> booleanValue(xml, attribute, i.attributes().disableApiTermination());
      case "disableApiStop" -> booleanValue(xml, attribute, i.attributes().disableApiStop());
      case "sourceDestCheck" -> booleanValue(xml, attribute, i.attributes().sourceDestCheck());
      case "ebsOptimized", "enaSupport" -> booleanValue(xml, attribute, false);
      case "enclaveOptions" -> xml.start("enclaveOptions").element("enabled", false).end();
      case "blockDeviceMapping", "productCodes" -> xml.start(attribute).end();
      case "groupSet" -> groupSet(xml, i.groups());
      default -> throw new IllegalStateException("attribute " + attribute + " passed the API layer's check");
    }
  }

  /** DescribeInstanceStatus's {@code instanceStatusSet}. */
  static void statuses(XmlWriter xml, List<InstanceStatus> statuses) {
    xml.start("instanceStatusSet");
    for (InstanceStatus s : statuses) {
      xml.start("item").element("instanceId", s.instanceId()).element("availabilityZone", s.zone());
      state(xml, "instanceState", s.state());
      summary(xml, "systemStatus", s.system());
      summary(xml, "instanceStatus", s.instance());
      xml.end();
    }
    xml.end();
  }

  private static void summary(XmlWriter xml, String element, InstanceStatus.Health health) {
    xml.start(element).element("status", health.wireName());
    xml.start("details");
    if (health.reachability() != null) {
      xml.start("item").element("name", "reachability").element("status", health.reachability()).end();
    }
    xml.end().end();
  }

  /** {@code <name><value>v</value></name>}; an empty {@code <name/>} when there is no value, as EC2 writes it. */
  private static void value(XmlWriter xml, String name, String value) {
    xml.start(name).optionalElement("value", value).end();
  }

  private static void booleanValue(XmlWriter xml, String name, boolean value) {
    xml.start(name).element("value", value).end();
  }

  private static void groupSet(XmlWriter xml, List<GroupRef> groups) {
    xml.start("groupSet");
    for (GroupRef g : groups) {
      xml.start("item").element("groupId", g.groupId()).element("groupName", g.groupName()).end();
    }
    xml.end();
  }

  private static void state(XmlWriter xml, String element, InstanceState state) {
    xml.start(element).element("code", state.code()).element("name", state.wireName()).end();
  }
}
