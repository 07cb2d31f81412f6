package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageNodeListTest {

  @Test
  void parsesIdAddressPairs() {
    assertThat(StorageNodeList.parse(List.of("1=127.0.9.101", " 2 = 127.0.9.102", "node-3=::1")))
        .containsExactly(Map.entry("1", "127.0.9.101"), Map.entry("2", "127.0.9.102"), Map.entry("node-3", "::1"));
  }

  @Test
  void refusesMalformedAndRepeatedEntriesNamingThem() {
    for (String bad : List.of("1", "=127.0.0.1", "1=", "a b=1.2.3.4", "-x=1.2.3.4")) {
      assertThatThrownBy(() -> StorageNodeList.parse(List.of(bad))).hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> StorageNodeList.parse(List.of("1=a", "1=b"))).hasMessageContaining("'1=b'");
  }
}
