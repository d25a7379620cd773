/**
 * Reduction kernels ({@link io.jccl.reduce.Reductions}) that combine element arrays held in raw,
 * native-order {@link java.nio.ByteBuffer} memory, plus the 16-bit float conversions
 * ({@link io.jccl.reduce.Float16}, {@link io.jccl.reduce.BFloat16}) they use. Everything here is
 * stateless apart from reusable per-thread state (typed buffer views, chunk arrays), so it is safe
 * to call from any thread.
 */
package io.jccl.reduce;
