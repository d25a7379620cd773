/**
 * Rendezvous: how the ranks of a job find each other before any collective runs.
 *
 * <p>{@link io.jccl.bootstrap.BootstrapEnvironment} reads rank, world size and master address from
 * the environment (JCCL's own {@code JCCL_*} variables, torchrun, Open MPI or Slurm).
 * {@link io.jccl.bootstrap.Store} is the key-value store the ranks meet in:
 * {@link io.jccl.bootstrap.TcpStore} (hosted by rank 0, the default),
 * {@link io.jccl.bootstrap.FileStore} (a shared directory, for single-host tests) and
 * {@link io.jccl.bootstrap.InMemoryStore} (ranks as threads of one JVM).
 * {@link io.jccl.bootstrap.Rendezvous} exchanges one payload per rank (typically a transport
 * address) through a store, checks that the ranks agree on the job's shape, and derives the
 * communicator id.
 */
package io.jccl.bootstrap;
