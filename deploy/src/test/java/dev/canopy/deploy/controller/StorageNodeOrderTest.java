package dev.canopy.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each controller starts at another storage node, and still has every node to fail over to. */
class StorageNodeOrderTest {

  private static final List<String> THREE = List.of("s1", "s2", "s3");

  @Test
  void controllersOneToFiveStartAtSuccessiveNodesAndWrapRound() {
    assertThat(StorageNodeOrder.forController(1, THREE)).containsExactly("s1", "s2", "s3");
    assertThat(StorageNodeOrder.forController(2, THREE)).containsExactly("s2", "s3", "s1");
    assertThat(StorageNodeOrder.forController(3, THREE)).containsExactly("s3", "s1", "s2");
    assertThat(StorageNodeOrder.forController(4, THREE)).containsExactly("s1", "s2", "s3");
    assertThat(StorageNodeOrder.forController(5, THREE)).containsExactly("s2", "s3", "s1");
  }

  @Test
  void oneNodeIsEveryControllersOnlyNode() {
    for (int id = 1; id <= 5; id++) {
      assertThat(StorageNodeOrder.forController(id, List.of("s1"))).containsExactly("s1");
    }
  }

  @Test
  void idsFarBeyondTheNodeCountStillRotateByTheirRemainder() {
    assertThat(StorageNodeOrder.forController(6, THREE)).containsExactly("s3", "s1", "s2");
    assertThat(StorageNodeOrder.forController(7, THREE)).containsExactly("s1", "s2", "s3");
    assertThat(StorageNodeOrder.forController(255, THREE)).containsExactly("s3", "s1", "s2");
  }
}
