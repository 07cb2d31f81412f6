/** The management endpoint of every process: health, readiness and Prometheus metrics. */
package dev.canopy.deploy.management;
