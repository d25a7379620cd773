/**
 * {@code jccl-perf}: a command-line bandwidth and latency sweep over one collective that speaks
 * nccl-tests' dialect (flags {@code -b -e -f -n -w -c -d -o -r}, columns size, count, type, redop,
 * root, time, algbw, busbw, #wrong for out-of-place and in-place calls).
 *
 * <p>{@link io.jccl.bench.perf.PerfTool} is the entry point. The pieces it is built from are pure
 * and unit-tested on their own: {@link io.jccl.bench.perf.PerfOptions} (argument parsing),
 * {@link io.jccl.bench.perf.SizeSweep} (message sizes), {@link io.jccl.bench.perf.PerfCollective}
 * (element counts and bus-bandwidth factors), {@link io.jccl.bench.perf.CheckData} (verifiable
 * inputs and their expected results) and {@link io.jccl.bench.perf.PerfReport} (table, CSV, JSON).
 * {@link io.jccl.bench.perf.PerfRunner} drives a communicator through the sweep.
 */
package io.jccl.bench.perf;
