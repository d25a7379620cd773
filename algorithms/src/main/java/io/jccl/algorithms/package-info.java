/**
 * The standard collective algorithms, each a pure planner that turns a
 * {@link io.jccl.schedule.CollectiveSpec} into the {@link io.jccl.schedule.Schedule} one rank
 * executes. {@link io.jccl.algorithms.StandardAlgorithms} registers them with the engine through
 * {@code ServiceLoader}. Nothing here does I/O or keeps state between calls; index math lives in
 * {@link io.jccl.algorithms.pattern}.
 */
package io.jccl.algorithms;
