package io.jccl.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Runs the kernel benchmark's methods once, directly (not through JMH), and checks what they wrote. */
@Timeout(20)
class ReduceKernelBenchmarkTest {

    private static ReduceKernelBenchmark bench(String dtype, String op, int bytes, boolean inPlace, int offset) {
        ReduceKernelBenchmark b = new ReduceKernelBenchmark();
        b.dtype = dtype;
        b.op = op;
        b.bytes = bytes;
        b.inPlace = inPlace;
        b.offsetElements = offset;
        b.setUp();
        return b;
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1, false", "3, true", "17, false"})
    void shouldReduceTheShiftedOperandWhenOffsetElementsIsSet(int offset, boolean inPlace) {
        ReduceKernelBenchmark b = bench("float32", "sum", 4096, inPlace, offset);
        int count = 4096 / Float.BYTES;
        float[] expected = new float[count];
        for (int i = 0; i < count; i++) {
            expected[i] = b.operandA().getFloat(i * 4) + b.operandB().getFloat((offset + i) * 4);
        }
        ReduceKernelBenchmark.Output out = new ReduceKernelBenchmark.Output();
        b.reduce(out);
        for (int i = 0; i < count; i++) {
            assertEquals(expected[i], b.destination().getFloat(i * 4), "element " + i);
        }
        assertEquals(4096, out.bytes);
    }

    @Test
    void shouldCopyTheShiftedOperandWhenRunningTheBaseline() {
        ReduceKernelBenchmark b = bench("int32", "max", 1024, false, 5);
        ReduceKernelBenchmark.Output out = new ReduceKernelBenchmark.Output();
        b.copy(out);
        for (int i = 0; i < 256; i++) {
            assertEquals(b.operandB().getInt((5 + i) * 4), b.destination().getInt(i * 4), "element " + i);
        }
        assertEquals(1024, out.bytes);
    }

    @Test
    void shouldStartOperandsOnACacheLineWhenAllocating() {
        ReduceKernelBenchmark b = bench("bfloat16", "sum", 1000, false, 1);
        for (ByteBuffer buf : new ByteBuffer[] {b.operandA(), b.operandB(), b.destination()}) {
            assertEquals(0, buf.alignmentOffset(0, 64));
        }
        assertEquals(1002, b.operandB().capacity());
    }

    @Test
    void shouldFailInSetupWhenOffsetIsNegativeOrPairUndefined() {
        assertThrows(IllegalArgumentException.class, () -> bench("float32", "sum", 64, false, -1));
        assertThrows(IllegalArgumentException.class, () -> bench("float32", "bxor", 64, false, 0));
    }
}
