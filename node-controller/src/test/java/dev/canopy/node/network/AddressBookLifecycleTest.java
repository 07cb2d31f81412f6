package dev.canopy.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address book through an agent's life: allocation, release, restarts, exhaustion and
 * concurrent launches, checked in the files dnsmasq reads (one {@code mac,ip} line per instance).
 */
class AddressBookLifecycleTest {

  private static final Subnet SMALL = Subnet.parse("10.5.0.0/28"); // 13 guest addresses: .2 to .14

  @TempDir Path dir;

  private static String id(int n) {
    return String.format("i-%08x", n);
  }

  private static String mac(int n) {
    return String.format("52:54:00:00:%02x:%02x", n >> 8 & 0xff, n & 0xff);
  }

  /** What dnsmasq would read: instance id → the line in its file. */
  private List<String> hostsLines() throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("i-")).sorted().toList()) {
        out.add(p.getFileName() + "=" + Files.readString(p).strip());
      }
    }
    return out;
  }

  @Test
  void aReleasedAddressIsHandedOutAgainOnlyOnceTheCursorComesBackToIt() throws IOException {
    AddressBook book = AddressBook.open(dir, SMALL);
    for (int i = 0; i < 13; i++) {
      book.assign(id(i), mac(i));
    }
    assertThatThrownBy(() -> book.assign(id(99), mac(99))).isInstanceOf(IOException.class)
        .hasMessage("no free address left in 10.5.0.0/28");
    assertThat(book.addressOf(id(99))).isEmpty();
    assertThat(dir.resolve(id(99))).doesNotExist();

    book.release(id(6)); // 10.5.0.8

    assertThat(book.assign(id(99), mac(99))).isEqualTo("10.5.0.8");
    assertThat(dir.resolve(id(99))).hasContent(mac(99) + ",10.5.0.8");
  }

  @Test
  void noAddressIsEverHandedOutTwiceAcrossRestarts() throws IOException {
    Set<String> seen = new HashSet<>();
    for (int restart = 0; restart < 4; restart++) {
      AddressBook book = AddressBook.open(dir, Subnet.parse("10.6.0.0/24"));
      for (int i = 0; i < 5; i++) {
        int n = restart * 5 + i;
        assertThat(seen.add(book.assign(id(n), mac(n)))).as("instance %d's address is new", n).isTrue();
      }
      // Instances from before the restart keep theirs.
      for (int n = 0; n < restart * 5; n++) {
        assertThat(book.addressOf(id(n))).as("instance %d after restart %d", n, restart).isPresent();
      }
    }
    assertThat(hostsLines()).hasSize(20).allMatch(line -> line.matches("i-[0-9a-f]{8}=52:54:00:00:00:[0-9a-f]{2},10\\.6\\.0\\.\\d+"));
  }

  @Test
  void aReleaseIsDurableAndItsAddressIsNotReadBack() throws IOException {
    AddressBook book = AddressBook.open(dir, SMALL);
    book.assign(id(1), mac(1));
    book.assign(id(2), mac(2));
    book.release(id(1));
    book.release(id(1)); // already released
    book.release(id(77)); // never assigned

    AddressBook reopened = AddressBook.open(dir, SMALL);

    assertThat(reopened.addressOf(id(1))).isEmpty();
    assertThat(reopened.addressOf(id(2))).contains("10.5.0.3");
    assertThat(hostsLines()).containsExactly(id(2) + "=" + mac(2) + ",10.5.0.3");
    assertThatThrownBy(() -> reopened.release("../leadership-epoch")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInstanceRelaunchedWithAnotherMacKeepsItsAddressUnderTheNewMac() throws IOException {
    AddressBook book = AddressBook.open(dir, SMALL);
    String address = book.assign(id(1), mac(1));

    assertThat(book.assign(id(1), mac(2))).isEqualTo(address);
    assertThat(dir.resolve(id(1))).as("dnsmasq must hand the address to the new MAC").hasContent(mac(2) + "," + address);
  }

  @Test
  void concurrentLaunchesGetDistinctAddressesEachWrittenWhole() throws Exception {
    AddressBook book = AddressBook.open(dir, Subnet.parse("10.7.0.0/24"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> assigned = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        assigned.add(pool.submit((Callable<String>) () -> book.assign(id(n), mac(n))));
      }
      Set<String> addresses = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        String a = assigned.get(i).get(10, TimeUnit.SECONDS);
        assertThat(addresses.add(a)).as("address %s handed out once", a).isTrue();
        assertThat(dir.resolve(id(i))).hasContent(mac(i) + "," + a);
      }
    } finally {
      pool.shutdownNow();
    }
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void foreignAndDamagedFilesAreLeftAloneAndADamagedCursorStartsOver() throws IOException {
    AddressBook first = AddressBook.open(dir, SMALL);
    first.assign(id(1), mac(1)); // .2
    Files.writeString(dir.resolve("README"), "dnsmasq hosts for canopy\n");
    Files.writeString(dir.resolve(id(2)), "not a host line\n");
    Files.writeString(dir.resolve(".next-address"), "garbage\n");

    AddressBook reopened = AddressBook.open(dir, SMALL);

    assertThat(dir.resolve("README")).hasContent("dnsmasq hosts for canopy");
    assertThat(reopened.addressOf(id(2))).isEmpty();
    assertThat(reopened.assign(id(3), mac(3))).as("from the first address, skipping the taken one").isEqualTo("10.5.0.3");
  }

  @Test
  void aCursorOutsideTheSubnetStartsOverAtTheFirstGuest() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".next-address"), "192.168.0.9\n");

    AddressBook book = AddressBook.open(dir, SMALL);

    assertThat(book.assign(id(1), mac(1))).isEqualTo("10.5.0.2");
    assertThat(dir.resolve(".next-address")).hasContent("10.5.0.3");
  }

  @Test
  void addressesDnsmasqStillLeasesToOtherMacsAreSkippedUntilTheSubnetIsFull() throws IOException {
    Path status = dir.resolveSibling("canopy0.status");
    Files.writeString(status, "[{\"ip-address\":\"10.5.0.2\",\"mac-address\":\"52:54:00:AA:00:01\"},"
        + "{\"ip-address\":\"10.5.0.3\",\"mac-address\":\"" + mac(2).toUpperCase() + "\"},"
        + "{\"ip-address\":\"fd00::5\",\"mac-address\":\"52:54:00:aa:00:02\"},"
        + "{\"mac-address\":\"52:54:00:aa:00:03\"}]");
    AddressBook book = AddressBook.open(dir, SMALL, m -> DhcpLeases.leasedToOthers(status, m));

    assertThat(book.assign(id(1), mac(1))).as(".2 is leased to another MAC").isEqualTo("10.5.0.4");
    AddressBook fresh = AddressBook.open(dir.resolve("b"), SMALL, m -> DhcpLeases.leasedToOthers(status, m));
    assertThat(fresh.assign(id(2), mac(2))).as("its own lease, whatever the MAC's case").isEqualTo("10.5.0.3");
  }

  @Test
  void aLeaseFileThatCannotBeReadMeansNoLeasesKnown() throws IOException {
    Path status = dir.resolveSibling("x.status");
    for (String content : new String[] {"", "{not json", "{}", "[1, 2, 3]"}) {
      Files.writeString(status, content);
      assertThat(DhcpLeases.leasedToOthers(status, mac(1))).as("'%s'", content).isEmpty();
    }
    Files.write(status, new byte[(4 << 20) + 1]);
    assertThat(DhcpLeases.leasedToOthers(status, mac(1))).as("too large to be libvirt's").isEmpty();
    assertThat(DhcpLeases.leasedToOthers(dir.resolveSibling("missing.status"), mac(1))).isEmpty();
  }
}
