package io.jccl.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PointsCsvTest {

    private static String error(String text) {
        return assertThrows(ChartInputException.class, () -> PointsCsv.parse(text, "points.csv")).getMessage();
    }

    @Test
    void shouldGroupPointsBySeriesWhenParsing() {
        String text = "series,bytes,busbw_gbps,time_us\r\n"
                + "jccl-tcp n=4,1024,0.5,3.1\r\n"
                + "\n"
                + "# a comment\n"
                + "\"gloo-ring, n=4\",8,,12.5\n"
                + "jccl-tcp n=4,8,0.001,25\n"
                + "\"say \"\"hi\"\"\",16,nan,N/A\n";
        List<Series> series = PointsCsv.parse(text, "points.csv");
        assertEquals(List.of("jccl-tcp n=4", "gloo-ring, n=4", "say \"hi\""),
                series.stream().map(Series::name).toList());
        Series jccl = series.get(0);
        assertEquals(List.of(8L, 1024L), jccl.points().stream().map(Series.Point::sizeBytes).toList());
        assertEquals(0.001, jccl.points().get(0).busBwGBps());
        assertEquals(25.0, jccl.points().get(0).timeUs());
        assertEquals(0.5, jccl.points().get(1).busBwGBps());
        assertTrue(Double.isNaN(series.get(1).points().get(0).busBwGBps()));
        assertEquals(12.5, series.get(1).points().get(0).timeUs());
        assertTrue(Double.isNaN(series.get(2).points().get(0).timeUs()));
    }

    @Test
    void shouldReadBackWhatItWritesWhenFormatting() {
        List<Series> series = List.of(
                new Series("a,b", List.of(new Series.Point(64, 1.234567891, 10), new Series.Point(8, 0, Double.NaN))),
                new Series("plain", List.of(new Series.Point(1 << 20, Double.NaN, 123456.789))));
        String text = PointsCsv.format(series);
        assertTrue(text.startsWith(PointsCsv.HEADER + "\n"), text);
        assertTrue(text.contains("\"a,b\",8,0,\n"), text);
        assertTrue(text.contains("\"a,b\",64,1.23457,10\n"), text);
        List<Series> back = PointsCsv.parse(text, "x");
        assertEquals(2, back.size());
        assertEquals("a,b", back.get(0).name());
        assertEquals(1.23457, back.get(0).points().get(1).busBwGBps());
        assertEquals(123457.0, back.get(1).points().get(0).timeUs());
        assertTrue(Double.isNaN(back.get(1).points().get(0).busBwGBps()));
    }

    @Test
    void shouldNameFileAndLineWhenInputIsBad() {
        String h = PointsCsv.HEADER + "\n";
        assertTrue(error("series,size,busbw,time\nx,1,2,3\n").startsWith(
                "points.csv:1: the header must be 'series,bytes,busbw_gbps,time_us', got 'series,size,busbw,time'"));
        assertTrue(error("").startsWith("points.csv: empty file"));
        assertTrue(error(h + "a,8,1,2\na,16,1\n").startsWith("points.csv:3: expected 4 fields"));
        assertTrue(error(h + "a,8,1,2,5\n").startsWith("points.csv:2: expected 4 fields"));
        assertTrue(error(h + "a,8K,1,2\n").startsWith("points.csv:2: bytes must be a whole number"));
        assertTrue(error(h + "a,-8,1,2\n").startsWith("points.csv:2: bytes must be a whole number"));
        assertTrue(error(h + "a,99999999999999999999,1,2\n")
                .startsWith("points.csv:2: bytes '99999999999999999999' is too large"));
        assertTrue(error(h + "a,8,fast,2\n").startsWith("points.csv:2: busbw_gbps must be a number"));
        assertTrue(error(h + "a,8,1,Infinity\n").startsWith("points.csv:2: time_us must be a number"));
        assertTrue(error(h + "a,8,1,0x10\n").startsWith("points.csv:2: time_us must be a number"));
        assertTrue(error(h + "a,8,-1,2\n").startsWith("points.csv:2: busbw_gbps must be finite and at least 0"));
        assertTrue(error(h + ",8,1,2\n").startsWith("points.csv:2: the series name is empty"));
        assertTrue(error(h + "\"a,8,1,2\n").startsWith("points.csv:2: a quoted field is not closed"));
        assertTrue(error(h + "\"a\"b,8,1,2\n").startsWith("points.csv:2: text after a closing quote"));
        String duplicate = error(h + "a,8,1,2\nb,8,1,2\n\na,8,3,4\n");
        assertTrue(duplicate.startsWith("points.csv:5: series 'a' already has a point at 8 bytes (points.csv:2)"),
                duplicate);
    }

    @Test
    void shouldCombineSeriesWhenMergingFiles(@TempDir Path dir) throws Exception {
        Path one = Files.writeString(dir.resolve("one.csv"), PointsCsv.HEADER + "\njccl,8,1,2\nmpi,8,0.5,4\n");
        Path two = Files.writeString(dir.resolve("two.csv"), PointsCsv.HEADER + "\ngloo,8,0.2,9\njccl,16,2,2\n");
        List<Series> merged = PointsCsv.merge(List.of(one, two));
        assertEquals(List.of("jccl", "mpi", "gloo"), merged.stream().map(Series::name).toList());
        assertEquals(2, merged.get(0).points().size());
        Path clash = Files.writeString(dir.resolve("three.csv"), PointsCsv.HEADER + "\nmpi,8,1,1\n");
        String message = assertThrows(ChartInputException.class, () -> PointsCsv.merge(List.of(one, clash)))
                .getMessage();
        assertTrue(message.startsWith(clash + ":2: series 'mpi' already has a point at 8 bytes (" + one + ":3)"),
                message);
    }
}
