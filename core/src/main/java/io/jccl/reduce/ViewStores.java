package io.jccl.reduce;

/**
 * Chooses how a combine loop writes its result into a direct destination: into the chunk array and
 * then one bulk {@code put} (the array path, see {@link Workspace}), or element by element straight
 * into the destination's native-order typed view ("view stores"), which saves one of the chunk copies.
 *
 * <p>Measured on x86-64 (AVX-512), fp32 SUM at 64 KiB per operand: C2 of JDK 25 vectorizes a loop that
 * reads two heap arrays and stores through a {@code DirectFloatBuffer} view, and it runs about 1.3x as
 * fast as the array path; C2 of JDK 17 keeps that loop scalar (3x slower than the array path). Loops
 * that also <em>load</em> through a second view or a second {@code MemorySegment} stay scalar on both
 * (the JIT cannot tell that two raw addresses do not overlap), and float loops over
 * {@code MemorySegment}s stay scalar on JDK 25 (the float layouts load int bits and convert, which the
 * vectorizer does not handle), so the heap-array operands remain. Versions between 17 and 25 were not
 * measured and keep the array path.
 *
 * <p>Heap destinations always take the array path: their views store through {@code Unsafe} unaligned
 * accessors, which do not vectorize.
 */
final class ViewStores {
    /** First Java feature release on which view stores were measured to vectorize. */
    static final int FIRST_FEATURE_RELEASE = 25;

    /** Whether {@link Reductions#reduce} uses view stores for direct destinations in this JVM. */
    static final boolean ENABLED = Runtime.version().feature() >= FIRST_FEATURE_RELEASE;

    private ViewStores() {
    }
}
