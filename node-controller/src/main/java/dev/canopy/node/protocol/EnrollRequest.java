package dev.canopy.node.protocol;

/**
 * Body of {@code POST /v1/enroll}. The agent made the key behind {@code csrPem} itself; the
 * private key never leaves the node.
 */
public record EnrollRequest(String token, String csrPem, String hostname, HostCapacity capacity, String zone) {

  @Override
  public String toString() {
    return "EnrollRequest[hostname=" + hostname + ", zone=" + zone + ", capacity=" + capacity + "]";
  }
}
