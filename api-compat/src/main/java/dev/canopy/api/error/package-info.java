/**
 * Errors a client can act on. {@link dev.canopy.api.error.AwsException} carries an AWS code and
 * HTTP status; {@link dev.canopy.api.error.S3Error} and {@link dev.canopy.api.error.Ec2Error}
 * list the codes each service uses, and {@link dev.canopy.api.error.S3Errors} / {@link
 * dev.canopy.api.error.Ec2Errors} map authentication failures to them and render each service's
 * XML error envelope. Bugs are never AwsExceptions.
 */
package dev.canopy.api.error;
