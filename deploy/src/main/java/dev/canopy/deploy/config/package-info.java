/** The typed configuration (one YAML file, every key defaulted) and its strict loader. */
package dev.canopy.deploy.config;
