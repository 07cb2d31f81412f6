package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.GroupRef;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.compute.StateChange;
import java.util.List;
import java.util.Map;

/** An instance in EC2's {@code Instance} shape, and the reservation and state-change shapes. */
final class InstanceXml {

  private InstanceXml() {}

  static void reservation(XmlWriter xml, String reservationId, String ownerId, List<Instance> instances, Map<String, Map<String, String>> tags) {
    xml.element("reservationId", reservationId).element("ownerId", ownerId).start("groupSet").end();
    xml.start("instancesSet");
    for (Instance i : instances) {
      instance(xml, i, tags.getOrDefault(i.instanceId(), Map.of()));
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
    xml.start("groupSet");
    for (GroupRef g : i.groups()) {
      xml.start("item").element("groupId", g.groupId()).element("groupName", g.groupName()).end();
    }
    xml.end();
    if (i.stateReason() != null) {
      xml.start("stateReason").element("code", i.stateReason().code()).element("message", i.stateReason().message()).end();
    }
    xml.element("architecture", "x86_64")
        .element("rootDeviceType", "instance-store")
        .element("rootDeviceName", "/dev/sda1")
        .start("blockDeviceMapping").end()
        .element("virtualizationType", "hvm")
        .optionalElement("clientToken", i.clientToken());
    Ec2Xml.tagSet(xml, tags);
    xml.element("hypervisor", "xen")
        .start("networkInterfaceSet").end()
        .element("ebsOptimized", false)
        .element("sourceDestCheck", true)
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

  private static void state(XmlWriter xml, String element, InstanceState state) {
    xml.start(element).element("code", state.code()).element("name", state.wireName()).end();
  }
}
