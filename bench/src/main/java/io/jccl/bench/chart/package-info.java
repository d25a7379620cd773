/**
 * Line charts of benchmark results, for people who would rather look than read: bus bandwidth
 * (or time per call) against message size, one line per series, drawn with the JDK's Java2D and
 * written as PNG through ImageIO. No dependency beyond the JDK's {@code java.desktop} module; the
 * drawing runs headless.
 *
 * <p>{@link io.jccl.bench.chart.Chart} draws a list of {@link io.jccl.bench.chart.Series};
 * {@link io.jccl.bench.chart.PointsCsv} reads and writes the points format
 * ({@code series,bytes,busbw_gbps,time_us}) that {@code jccl-perf --points} and comparison scripts
 * write; {@link io.jccl.bench.chart.ChartTool} is the command line that turns such files into a
 * chart. {@link io.jccl.bench.chart.Axis} computes the ticks (log2 sizes, nice linear steps,
 * decades of time) and is unit-tested on its own.
 */
package io.jccl.bench.chart;
