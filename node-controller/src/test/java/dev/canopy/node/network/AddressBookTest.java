package dev.canopy.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressBookTest {

  @TempDir Path dir;

  @Test
  void assignsLowestFreeAddressOncePerInstanceAndWritesDnsmasqHostFiles() throws IOException {
    AddressBook book = AddressBook.open(dir, Subnet.parse("10.211.0.0/24"));
    assertThat(book.assign("i-00000001", "52:54:00:00:00:01")).isEqualTo("10.211.0.2");
    assertThat(book.assign("i-00000002", "52:54:00:00:00:02")).isEqualTo("10.211.0.3");
    assertThat(book.assign("i-00000001", "52:54:00:00:00:01")).isEqualTo("10.211.0.2");
    assertThat(Files.readString(dir.resolve("i-00000002"))).isEqualTo("52:54:00:00:00:02,10.211.0.3\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("i-00000002")))).isEqualTo("rw-r--r--");

    book.release("i-00000001");
    assertThat(dir.resolve("i-00000001")).doesNotExist();
    // Next-fit: a freed address is not handed out again while dnsmasq may still hold its lease.
    assertThat(book.assign("i-00000003", "52:54:00:00:00:03")).isEqualTo("10.211.0.4");
  }

  @Test
  void aRestartedAgentReadsTheAssignmentsBackAndDropsHalfWrittenFiles() throws IOException {
    AddressBook first = AddressBook.open(dir, Subnet.parse("10.211.0.0/24"));
    first.assign("i-00000001", "52:54:00:00:00:01");
    Files.writeString(dir.resolve(".i-00000002.tmp"), "52:54");
    AddressBook second = AddressBook.open(dir, Subnet.parse("10.211.0.0/24"));
    assertThat(second.addressOf("i-00000001")).contains("10.211.0.2");
    assertThat(dir.resolve(".i-00000002.tmp")).doesNotExist();
    assertThat(second.assign("i-00000002", "52:54:00:00:00:02")).isEqualTo("10.211.0.3");
  }

  @Test
  void anAddressDnsmasqStillLeasesToAnotherMacIsSkipped() throws IOException {
    Path status = dir.resolveSibling(dir.getFileName() + "-canopy0.status");
    Files.writeString(status, "[{\"ip-address\":\"10.211.0.2\",\"mac-address\":\"52:54:00:aa:aa:aa\",\"expiry-time\":1}]");
    AddressBook book = AddressBook.open(dir, Subnet.parse("10.211.0.0/24"), mac -> DhcpLeases.leasedToOthers(status, mac));
    assertThat(book.assign("i-00000001", "52:54:00:00:00:01")).isEqualTo("10.211.0.3");
    // The MAC holding the lease may have its own address back.
    assertThat(book.assign("i-00000002", "52:54:00:aa:aa:aa")).isEqualTo("10.211.0.4");
  }

  @Test
  void theCursorWrapsAroundAndSurvivesARestart() throws IOException {
    AddressBook book = AddressBook.open(dir, Subnet.parse("10.1.0.0/28"));
    for (int i = 0; i < 13; i++) {
      book.assign(String.format("i-%08x", i), String.format("52:54:00:00:00:%02x", i));
    }
    book.release("i-00000003"); // 10.1.0.5
    book.release("i-00000000"); // 10.1.0.2
    AddressBook reopened = AddressBook.open(dir, Subnet.parse("10.1.0.0/28"));
    assertThat(reopened.assign("i-000000aa", "52:54:00:00:00:aa")).isEqualTo("10.1.0.2");
    assertThat(reopened.assign("i-000000ab", "52:54:00:00:00:ab")).isEqualTo("10.1.0.5");
  }

  @Test
  void aFullSubnetIsAnErrorAndIdsCannotNameOtherFiles() throws IOException {
    AddressBook book = AddressBook.open(dir, Subnet.parse("10.1.0.0/28"));
    for (int i = 0; i < 13; i++) {
      book.assign(String.format("i-%08x", i), String.format("52:54:00:00:00:%02x", i));
    }
    assertThatThrownBy(() -> book.assign("i-000000ff", "52:54:00:00:00:ff")).isInstanceOf(IOException.class)
        .hasMessageContaining("no free address");
    assertThatThrownBy(() -> book.assign("../etc", "52:54:00:00:00:ff")).isInstanceOf(IllegalArgumentException.class);
  }
}
