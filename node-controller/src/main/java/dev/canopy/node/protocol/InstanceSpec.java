package dev.canopy.node.protocol;

/**
 * What a node needs to run one instance.
 *
 * @param instanceId the EC2 instance id ({@code i-...}); also the libvirt domain's name
 * @param accountId the owner, recorded in the domain's metadata
 * @param instanceType for logs and metadata
 * @param vcpus virtual CPUs
 * @param memoryMib memory in MiB
 * @param rootDiskGib root disk size
 * @param imageId the image to boot ({@code ami-...})
 * @param userDataBase64 the user data as sent to RunInstances, base64 (may be null)
 * @param sshPublicKey the key pair's OpenSSH public key (may be null)
 * @param macAddress the NIC's MAC address, chosen by the controller so it is stable across restarts
 * @param image where the node fetches the image's files; null on nodes that boot a configured
 *     kernel from an empty disk (the test driver)
 * @param firewall what the instance's security groups allow; null means no host firewall
 */
public record InstanceSpec(
    String instanceId,
    String accountId,
    String instanceType,
    int vcpus,
    int memoryMib,
    int rootDiskGib,
    String imageId,
    String userDataBase64,
    String sshPublicKey,
    String macAddress,
    ImageFiles image,
    Firewall firewall) {

  /** EC2's limit on user data, before base64: checked where RunInstances parses it and where the seed is made. */
  public static final int USER_DATA_BYTES_MAX = 16 * 1024;


  /** The guest's hostname, as EC2 names it from the private address (or the id before it has one). */
  public String hostname(String privateIp) {
    return privateIp == null ? instanceId : "ip-" + privateIp.replace('.', '-');
  }
}
