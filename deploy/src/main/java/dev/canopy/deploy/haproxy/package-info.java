/**
 * HAProxy in front of a cluster: {@code canopy haproxy-config} turns a cluster description (the
 * {@code cluster.json} of {@code local-cluster}, or one an operator writes for their hosts) into a
 * configuration with EC2, S3 and console frontends whose backends are health-checked on each
 * process's management port ({@code GET /health}). Rendering is pure ({@link HaproxyConfig});
 * reading files and options is the command's.
 */
package dev.canopy.deploy.haproxy;
