package dev.canopy.node.agent;

/** Enrollment did not happen: every controller refused, was unreachable, or was not trusted. */
public final class EnrollmentException extends Exception {

  public EnrollmentException(String message) {
    super(message);
  }
}
