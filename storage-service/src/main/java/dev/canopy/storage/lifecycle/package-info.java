/**
 * S3 lifecycle rules and their execution: the rules of a bucket as records ({@link
 * dev.canopy.storage.lifecycle.LifecycleConfiguration}, stored as the bucket's {@code lifecycle}
 * document in canonical JSON), the pure judgement of which object or upload a rule expires at a
 * given instant ({@link dev.canopy.storage.lifecycle.LifecyclePlan}), and the background job that
 * applies it to every bucket through the object backend ({@link
 * dev.canopy.storage.lifecycle.LifecycleExecutor}). The S3 XML of the rules lives in the S3 layer.
 */
package dev.canopy.storage.lifecycle;
