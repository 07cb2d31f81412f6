/** Admin subcommands ({@code canopy account ...}, {@code canopy billing report}, {@code canopy token create}, {@code canopy nodes}) and the SigV4-signing client of the admin API. */
package dev.canopy.deploy.admin;
