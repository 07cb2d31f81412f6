package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.ring.Ring;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The peers a node dials follow the rings it adopts: a joined member at once, a departed one for one more change. */
class PeerAddressBookTest {

  private static final Ring THREE = Ring.create(Map.of("1", "10.0.0.1", "2", "10.0.0.2", "3", "10.0.0.3"), 16, 3);

  @Test
  void everyOtherMemberOfTheRingIsDialedOnTheSharedPeerPort() {
    PeerAddressBook book = new PeerAddressBook("1", new TreeMap<>(), 8783);
    assertThat(book.follow(THREE)).isEqualTo(Map.of("2", URI.create("https://10.0.0.2:8783"), "3", URI.create("https://10.0.0.3:8783")));
  }

  @Test
  void aMemberAddedByAJoinIsDialableFromTheAdoptedRing() {
    PeerAddressBook book = new PeerAddressBook("1", new TreeMap<>(), 8783);
    book.follow(THREE);
    assertThat(book.follow(THREE.join("4", "fd00::4").ring())).containsEntry("4", URI.create("https://[fd00::4]:8783")).hasSize(3);
  }

  @Test
  void theCommandLineOverridesTheRingsAddress() {
    PeerAddressBook book = new PeerAddressBook("1", new TreeMap<>(Map.of("2", "192.168.1.2")), 8783);
    assertThat(book.follow(THREE)).containsEntry("2", URI.create("https://192.168.1.2:8783"));
  }

  @Test
  void aMemberThatLeftStaysDialableUntilTheNextLeave() {
    PeerAddressBook book = new PeerAddressBook("1", new TreeMap<>(), 8783);
    book.follow(THREE);
    Ring withoutTwo = THREE.leave("2").ring();
    assertThat(book.follow(withoutTwo)).containsOnlyKeys("2", "3");
    Ring withFour = withoutTwo.join("4", "10.0.0.4").ring();
    assertThat(book.follow(withFour)).containsOnlyKeys("2", "3", "4");
    assertThat(book.follow(withFour.leave("3").ring())).containsOnlyKeys("3", "4");
  }

  @Test
  void aMemberWithoutAnyAddressIsReportedUnknown() {
    Ring old = Ring.create(java.util.List.of("1", "2"), 16, 3);
    assertThat(new PeerAddressBook("1", new TreeMap<>(), 8783).unknown(old)).containsExactly("2");
    assertThat(new PeerAddressBook("1", new TreeMap<>(Map.of("2", "h")), 8783).unknown(old)).isEmpty();
  }
}
