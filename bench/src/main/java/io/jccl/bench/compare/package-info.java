/**
 * The report of {@code bench/compare/compare.sh}, which runs fp32 SUM allreduce with JCCL, Open MPI
 * and Gloo side by side (and JCCL's reduce kernel next to a C loop) and appends every measurement to
 * one raw CSV ({@link io.jccl.bench.compare.RawCsv}).
 *
 * <p>{@link io.jccl.bench.compare.CompareReport} is the entry point: it imports JMH's kernel results
 * into the raw CSV, takes the median over repetitions per (library, variant, ranks, size)
 * ({@link io.jccl.bench.compare.MedianRow}) and writes the markdown comparison and a points CSV for
 * charts. Everything here is pure file and text processing, unit-tested on synthetic data.
 */
package io.jccl.bench.compare;
