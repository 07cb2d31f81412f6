/**
 * Decoding of the AWS Query protocol (EC2): {@link dev.canopy.api.query.QueryParams} parses query
 * strings and form bodies, {@link dev.canopy.api.query.QueryTree} reads dotted parameter names
 * ({@code InstanceId.N}, {@code TagSpecification.N.Tag.M.Key}, {@code Filter.N.Value.M}) as a
 * tree. Bad input becomes the EC2 error a client expects (InvalidParameterValue,
 * MissingParameter, ...). Knows nothing of what any action means.
 */
package dev.canopy.api.query;
