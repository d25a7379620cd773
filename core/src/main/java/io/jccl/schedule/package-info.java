/**
 * The schedule model: collectives are planned by {@link io.jccl.schedule.Algorithm}s into
 * {@link io.jccl.schedule.Schedule}s of fused steps that the engine executes.
 */
package io.jccl.schedule;
