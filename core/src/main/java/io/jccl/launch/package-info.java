/**
 * A torchrun-like launcher for one host: {@link io.jccl.launch.Launcher} starts N JVMs of the same
 * program with the {@code JCCL_*} variables that {@link io.jccl.bootstrap.BootstrapEnvironment}
 * reads, prefixes their output with the rank, tears the job down when one rank fails, and enforces
 * an overall timeout.
 */
package io.jccl.launch;
