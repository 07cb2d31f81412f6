package dev.canopy.storage.kv.peer;

import dev.canopy.core.tls.KeytoolPki;
import java.nio.file.Files;
import java.time.InstantSource;

/**
 * The certificates the peer tests use, made once per test JVM (each keytool run starts a JVM):
 * two storage nodes, a node agent, a controller of this cloud's CA, and a storage node of another CA.
 */
final class PeerPki {

  final KeytoolPki pki;
  final KeytoolPki.Issued storage1;
  final KeytoolPki.Issued storage2;
  final KeytoolPki.Issued nodeAgent;
  final KeytoolPki.Issued controller;
  final KeytoolPki.Issued otherCloudStorage;

  private static PeerPki made;

  private PeerPki() throws Exception {
    pki = new KeytoolPki(Files.createTempDirectory("peer-pki"));
    storage1 = pki.issue("storage", "st-1");
    storage2 = pki.issue("storage", "st-2");
    nodeAgent = pki.issue("node", "nd-1");
    controller = pki.issue("controller", "ctl-1");
    otherCloudStorage = new KeytoolPki(Files.createTempDirectory("other-pki"), "Other CA").issue("storage", "st-1");
  }

  static synchronized PeerPki get() throws Exception {
    if (made == null) {
      made = new PeerPki();
    }
    return made;
  }

  /** TLS material presenting {@code keys}, trusting this cloud's CA. */
  PeerTls tls(KeytoolPki.Issued keys) {
    return new PeerTls(keys.keys(), pki.ca, InstantSource.system());
  }
}
