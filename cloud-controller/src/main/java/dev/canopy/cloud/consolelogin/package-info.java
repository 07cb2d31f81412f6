/**
 * Console logins, as domain rules with no HTTP: console passwords hashed with Argon2id
 * ({@link dev.canopy.cloud.consolelogin.PasswordHash}), kept per account in the grid; sessions in
 * the grid under the SHA-256 of their token, so any controller serves them and they survive a
 * controller's failure; a throttle on failed logins per account and per client address. Time
 * and randomness are injected. The console port's routes are in {@code consoleapi}.
 */
package dev.canopy.cloud.consolelogin;
