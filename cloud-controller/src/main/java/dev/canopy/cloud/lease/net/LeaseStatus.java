package dev.canopy.cloud.lease.net;

import java.util.List;

/**
 * What {@code GET /lease} reports (render with {@link LeaseStatusJson}).
 *
 * @param holder the controller holding the lease as far as this one knows, or null
 * @param epoch the fencing epoch last registered with {@link LeaseService#setEpoch}
 * @param remainingMs how long this controller still holds the lease; null unless it is the holder
 * @param acceptorsReachable the controllers whose acceptors this one can reach now, itself included, ascending
 */
public record LeaseStatus(Integer holder, long epoch, Long remainingMs, List<Integer> acceptorsReachable) {

  public LeaseStatus {
    acceptorsReachable = List.copyOf(acceptorsReachable);
  }
}
