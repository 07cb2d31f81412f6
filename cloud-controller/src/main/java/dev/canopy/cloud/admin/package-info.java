/** The administrator's JSON API (accounts), SigV4-signed with the admin credentials. */
package dev.canopy.cloud.admin;
