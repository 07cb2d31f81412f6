package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterfaceTargetsTest {

  @Test
  void readsTargetAndMacOfEachInterfaceAndSkipsOnesWithoutATap() {
    String xml = "<domain><devices>"
        + "<interface type='network'><mac address='52:54:00:00:00:01'/><target dev='vnet3'/></interface>"
        + "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>"
        + "<interface type='bridge'><mac address='52:54:00:00:00:03'/><target dev='vnet4'/></interface>"
        + "</devices></domain>";

    assertThat(InterfaceTargets.of(xml)).containsExactly(
        new InterfaceTargets.Target("vnet3", "52:54:00:00:00:01"),
        new InterfaceTargets.Target("vnet4", "52:54:00:00:00:03"));
  }

  @Test
  void refusesADoctype() {
    String xml = "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><devices>"
        + "<interface><mac address='&x;'/><target dev='vnet0'/></interface></devices></domain>";

    assertThatThrownBy(() -> InterfaceTargets.of(xml)).isInstanceOf(IllegalArgumentException.class);
  }
}
