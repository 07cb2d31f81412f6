package dev.canopy.cloud.metering.series;

/** Encoded series bytes that cannot be trusted: truncated, altered, or of a version this code does not read. */
public final class CorruptSeriesException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public CorruptSeriesException(String message) {
    super(message);
  }

  public CorruptSeriesException(String message, Throwable cause) {
    super(message, cause);
  }
}
