package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/** A node agent of its own on libvirt's test driver per test ({@link NodeOnTestDriver}), and virsh's view of libvirt. */
abstract class NodeOnTestDriverTest {

  @TempDir Path dataDir;
  NodeOnTestDriver node;
  /** A connection of its own to the driver's state, to look with. */
  Connect virsh;

  @BeforeEach
  void openNode() {
    node = NodeOnTestDriver.open("node-a", dataDir);
    virsh = TestDriver.observer();
  }

  @AfterEach
  void closeNode() throws Exception {
    node.close();
    virsh.close();
  }

  /** A new instance, launched and running. */
  String running() {
    String id = TestDriver.instanceId();
    Ack ack = node.dispatch(run(NodeOnTestDriver.spec(id), 1));
    assertThat(ack.ok()).as("%s %s", ack.error(), ack.message()).isTrue();
    return id;
  }
}
