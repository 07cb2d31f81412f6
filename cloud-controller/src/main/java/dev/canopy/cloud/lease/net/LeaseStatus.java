package dev.canopy.cloud.lease.net;

import java.util.List;

/**
 * What {@code GET /lease} reports (render with {@link LeaseStatusJson}).
 *
 * @param holder the controller holding the lease as far as this one knows, or null
 * @param epoch the fencing epoch last registered with {@link LeaseService#setEpoch}
 * @param remainingMs how long this controller still holds the lease; null unless it is the holder
 * @param acceptorsReachable the controllers whose acceptors this one can reach now, itself included, ascending
 * @param quarantineMs how long this controller's acceptor stays quarantined after its restart (0: it answers)
 */
public record LeaseStatus(Integer holder, long epoch, Long remainingMs, List<Integer> acceptorsReachable, long quarantineMs) {

  public LeaseStatus {
    acceptorsReachable = List.copyOf(acceptorsReachable);
  }
}
