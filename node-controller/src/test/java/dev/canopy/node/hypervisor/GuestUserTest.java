package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestUserTest {

  @Test
  void theUidIsLibvirtsDacBaseLabelAndRootOrNoDacMeansNothingToGrant() {
    // As libvirtd 9.0 on Debian 12 reports it (user libvirt-qemu).
    String debian = "<capabilities><host><secmodel><model>none</model><doi>0</doi></secmodel>"
        + "<secmodel><model>dac</model><doi>0</doi><baselabel type='kvm'>+64055:+64055</baselabel>"
        + "<baselabel type='qemu'>+64055:+64055</baselabel></secmodel></host></capabilities>";
    assertThat(GuestUser.uidFrom(debian)).hasValue(64055);
    assertThat(GuestUser.uidFrom(debian.replace("+64055:+64055", "+0:+0"))).isEmpty();
    assertThat(GuestUser.uidFrom("<capabilities><host><secmodel><model>none</model></secmodel></host></capabilities>")).isEmpty();
  }
}
