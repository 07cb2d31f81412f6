/** The administrator's JSON API (accounts, tokens, nodes, samples, monthly bills), SigV4-signed with the admin credentials. */
package dev.canopy.cloud.admin;
