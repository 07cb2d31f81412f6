/** Admin subcommands ({@code canopy account ...}) and the SigV4-signing client of the admin API. */
package dev.canopy.deploy.admin;
