/**
 * Errors a client can act on. {@link dev.canopy.api.error.AwsException} carries an AWS code and
 * HTTP status; {@link dev.canopy.api.error.S3Error} and {@link dev.canopy.api.error.Ec2Error}
 * list the codes each service uses, and {@link dev.canopy.api.error.S3Errors} / {@link
 * dev.canopy.api.error.Ec2Errors} map authentication failures to them and render each service's
 * XML error envelope. Bugs are never AwsExceptions.
 *
 * <p>{@link dev.canopy.api.error.ServerFailures} is the one mapping of every other failure, used by
 * EC2, S3 and the admin API alike: an exception marked {@link dev.canopy.api.error.Unavailable} (a
 * store or the grid cannot serve for now), or caused by one, is {@code 503 ServiceUnavailable};
 * anything else {@code 500 InternalError}; neither carries the exception's message.
 */
package dev.canopy.api.error;
