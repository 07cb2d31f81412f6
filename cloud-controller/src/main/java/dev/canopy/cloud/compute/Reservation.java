package dev.canopy.cloud.compute;

import java.util.List;

/** The instances one RunInstances call launched together. */
public record Reservation(String reservationId, String ownerId, List<Instance> instances) {

  public Reservation {
    instances = List.copyOf(instances);
  }
}
