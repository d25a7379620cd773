package io.jccl.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class RawCsvTest {

    private static final String JMH_HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: bytes\",\"Param: dtype\",\"Param: inPlace\",\"Param: op\"";
    private static final String PREFIX = "\"io.jccl.bench.jmh.ReduceKernelBenchmark.";

    @Test
    void shouldParseRowsWhenFileIsWellFormed() {
        List<RawRow> rows = RawCsv.parse(List.of(RawCsv.HEADER,
                "1,jccl,tcp,4,67108864,250000.5,0.4,240000",
                "",
                "2,c,kernel,1,65536,4.5,14.6,"), "raw.csv");
        assertEquals(2, rows.size());
        assertEquals(new RawRow(1, "jccl", "tcp", 4, 64L << 20, 250000.5, 0.4, 240000), rows.get(0));
        RawRow kernel = rows.get(1);
        assertEquals("c", kernel.library());
        assertTrue(kernel.isKernel());
        assertTrue(Double.isNaN(kernel.p50Us()));
    }

    @Test
    void shouldRoundTripWhenFormattingRows() {
        RawRow row = new RawRow(3, "gloo", "ring", 2, 8, 4561.47, 0.000003, 4000.58);
        RawRow noP50 = new RawRow(1, "jccl", "kernel", 1, 1 << 20, 1e6 / 1293.901493, 1.356754052208102, Double.NaN);
        for (RawRow r : List.of(row, noP50)) {
            assertEquals(r, RawCsv.parseRow(RawCsv.format(r)));
        }
        assertEquals("3,gloo,ring,2,8,4561.47,0.000003,4000.58", RawCsv.format(row));
        assertTrue(RawCsv.format(noP50).endsWith(","));
        assertEquals("0.00000248915", RawCsv.number(2.48915e-6)); // charts read plain decimals
        assertEquals("240000", RawCsv.number(240000.0));
    }

    @Test
    void shouldRejectFileWhenHeaderIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawCsv.parse(List.of("run,library", "1,jccl,tcp,2,8,1,1,1"), "x.csv"));
        assertTrue(e.getMessage().contains("x.csv"));
    }

    @Test
    void shouldNameLineWhenRowIsMalformed() {
        IllegalArgumentException fields = assertThrows(IllegalArgumentException.class,
                () -> RawCsv.parse(List.of(RawCsv.HEADER, "1,jccl,tcp,2,8,1,1,1", "1,jccl,tcp,2,32,1,1"), "r"));
        assertTrue(fields.getMessage().startsWith("r line 3:"), fields.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> RawCsv.parse(List.of(RawCsv.HEADER, "1,jccl,tcp,2,8,fast,1,1"), "r"));
        assertTrue(number.getMessage().contains("time_us"), number.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RawCsv.parse(List.of(RawCsv.HEADER, "1,jccl,tcp,2,8,0,1,1"), "r"));
    }

    @Test
    void shouldRejectRowWhenRunAndSeriesRepeat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RawCsv.parse(List.of(
                RawCsv.HEADER, "1,jccl,tcp,2,8,10,1,1", "2,jccl,tcp,2,8,10,1,1", "1,jccl,tcp,2,8,11,1,1"), "r"));
        assertTrue(e.getMessage().startsWith("r line 4:"), e.getMessage());
    }

    @Test
    void shouldImportOnlyFloatSumOutOfPlaceBytesWhenReadingJmhCsv() {
        List<String> jmh = List.of(JMH_HEADER,
                PREFIX + "reduce\",\"thrpt\",1,5,45994.84,NaN,\"ops/s\",65536,float32,false,sum",
                PREFIX + "reduce:bytes\",\"thrpt\",1,5,3000000000,NaN,\"ops/s\",65536,float32,false,sum",
                PREFIX + "reduce:bytes\",\"thrpt\",1,5,2000000000,NaN,\"ops/s\",1048576,float32,false,sum",
                PREFIX + "reduce:bytes\",\"thrpt\",1,5,9000000000,NaN,\"ops/s\",1048576,float32,true,sum",
                PREFIX + "reduce:bytes\",\"thrpt\",1,5,9000000000,NaN,\"ops/s\",1048576,float64,false,sum",
                PREFIX + "reduce:bytes\",\"thrpt\",1,5,9000000000,NaN,\"ops/s\",1048576,float32,false,max",
                PREFIX + "copy:bytes\",\"thrpt\",1,5,9000000000,NaN,\"ops/s\",1048576,float32,false,sum");
        List<RawRow> rows = RawCsv.kernelRowsFromJmhCsv(jmh, 2, "jmh.csv");
        assertEquals(2, rows.size());
        RawRow small = rows.get(0);
        assertEquals(new RawRow.SeriesKey("jccl", "kernel", 1, 65536), small.key());
        assertEquals(2, small.run());
        assertEquals(3.0, small.busBwGBps(), 1e-12);
        assertEquals(65536 / 3e9 * 1e6, small.timeUs(), 1e-9);
        assertEquals(2.0, rows.get(1).busBwGBps(), 1e-12);
        assertEquals(1 << 20, rows.get(1).bytes());
    }

    @Test
    void shouldFailWhenJmhCsvHasNoKernelEntry() {
        List<String> onlyCopy = List.of(JMH_HEADER,
                PREFIX + "copy:bytes\",\"thrpt\",1,5,9000000000,NaN,\"ops/s\",1048576,float32,false,sum");
        assertThrows(IllegalArgumentException.class, () -> RawCsv.kernelRowsFromJmhCsv(onlyCopy, 1, "j"));
        List<String> noBytesColumn = List.of("\"Benchmark\",\"Score\",\"Unit\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawCsv.kernelRowsFromJmhCsv(noBytesColumn, 1, "j"));
        assertTrue(e.getMessage().contains("Param: bytes"), e.getMessage());
    }

    @Test
    void shouldKeepCommasAndQuotesWhenSplittingQuotedFields() {
        assertEquals(List.of("a,b", "c", "say \"hi\"", ""), RawCsv.splitQuoted("\"a,b\",c,\"say \"\"hi\"\"\","));
    }
}
