/**
 * What the console port's JSON APIs share (the admin API, the tenant usage API): calls whose SigV4
 * signature is checked and whose work runs off the event loop, the JSON error shape {@code {"code",
 * "message"}} with one mapping of failures to it, and the parsing of query values they have in common.
 */
package dev.canopy.cloud.consoleapi;
