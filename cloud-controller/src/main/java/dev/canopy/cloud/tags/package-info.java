/**
 * Tags on EC2 resources, scoped to the owning account, kept on the grid: the
 * {@link dev.canopy.cloud.tags.TagStore} contract and its grid implementation
 * {@link dev.canopy.cloud.tags.GridTagStore}, AWS's limits ({@link dev.canopy.cloud.tags.TagRules}),
 * and the registry of taggable resource kinds ({@link dev.canopy.cloud.tags.TaggableResources}):
 * each resource family registers its id prefix and how to tell that a resource exists, so
 * CreateTags never tags what the caller cannot see.
 */
package dev.canopy.cloud.tags;
