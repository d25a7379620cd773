package io.jccl.bench.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ByteSizesTest {

    @Test
    void shouldParseBinarySuffixesWhenGivenInEitherCase() {
        assertEquals(8, ByteSizes.parse("8"));
        assertEquals(64 * 1024, ByteSizes.parse("64K"));
        assertEquals(64 * 1024, ByteSizes.parse("64k"));
        assertEquals(64L * 1024 * 1024, ByteSizes.parse("64M"));
        assertEquals(3L * 1024 * 1024 * 1024, ByteSizes.parse("3G"));
        assertEquals(4L * 1024 * 1024, ByteSizes.parse("4MiB"));
        assertEquals(4L * 1024 * 1024, ByteSizes.parse("4MB"));
        assertEquals(100, ByteSizes.parse(" 100B "));
    }

    @Test
    void shouldRejectWithExampleWhenNotAByteSize() {
        for (String bad : new String[] {"", "M", "-8", "1.5M", "8X", "0x10", "K8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(bad), bad);
            assertTrue(e.getMessage().contains("64M"), e.getMessage());
        }
    }

    @Test
    void shouldRejectWhenSizeOverflows() {
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("99999999999999G"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("99999999999999999999"));
    }

    @Test
    void shouldFormatShortestExactFormWhenParsedBack() {
        assertEquals("64M", ByteSizes.format(64L << 20));
        assertEquals("1G", ByteSizes.format(1L << 30));
        assertEquals("3K", ByteSizes.format(3072));
        assertEquals("1000", ByteSizes.format(1000));
        assertEquals("0", ByteSizes.format(0));
        for (long v : new long[] {1, 8, 1000, 1536, 1L << 20, (1L << 20) + 1, 5L << 30}) {
            assertEquals(v, ByteSizes.parse(ByteSizes.format(v)));
        }
    }
}
