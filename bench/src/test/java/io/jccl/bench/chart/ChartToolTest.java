package io.jccl.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ChartToolTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private int run(String... args) {
        return ChartTool.run(List.of(args), out, err);
    }

    private String errText() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path points(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), PointsCsv.HEADER + "\n" + String.join("\n", lines) + "\n");
    }

    @Test
    void shouldWritePngWhenInputsAreGood() throws Exception {
        Path a = points("jccl.csv", "jccl-tcp n=4,8,0.001,20", "jccl-tcp n=4,1048576,1.5,1000");
        Path b = points("mpi.csv", "openmpi-tcp n=4,8,0.002,15", "openmpi-tcp n=4,1048576,1.2,1300");
        Path png = dir.resolve("sub/chart.png");
        assertEquals(0, run("--input", a.toString(), "--input=" + b, "--output", png.toString(), "--title", "T",
                "--metric", "both"), errText());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Chart.DEFAULT_WIDTH_PX, image.getWidth());
        assertEquals(Chart.DEFAULT_HEIGHT_PX + Chart.EXTRA_PANEL_HEIGHT_PX, image.getHeight());
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("2 series"));
        assertEquals("", errText());

        Path small = dir.resolve("small.png");
        assertEquals(0, run("--input", a.toString(), "--output", small.toString(), "--metric", "time",
                "--width", "800", "--height", "500"), errText());
        BufferedImage smallImage = ImageIO.read(small.toFile());
        assertEquals(800, smallImage.getWidth());
        assertEquals(500, smallImage.getHeight());
    }

    @Test
    void shouldExitTwoNamingTheLineWhenInputIsBad() throws Exception {
        Path bad = points("bad.csv", "jccl,8,1,2", "jccl,16,lots,2");
        Path png = dir.resolve("never.png");
        assertEquals(ChartTool.EXIT_USAGE, run("--input", bad.toString(), "--output", png.toString()));
        assertTrue(errText().startsWith("chart: " + bad + ":3: busbw_gbps must be a number"), errText());
        assertFalse(Files.exists(png));
    }

    @Test
    void shouldExitTwoWhenInputIsMissingOrEmpty() throws Exception {
        Path png = dir.resolve("never.png");
        String missing = dir.resolve("nope.csv").toString();
        assertEquals(ChartTool.EXIT_USAGE, run("--input", missing, "--output", png.toString()));
        assertTrue(errText().contains("no such input file"), errText());
        errBytes.reset();
        Path headerOnly = points("empty.csv");
        assertEquals(ChartTool.EXIT_USAGE, run("--input", headerOnly.toString(), "--output", png.toString()));
        assertTrue(errText().contains("no points"), errText());
        assertFalse(Files.exists(png));
    }

    @Test
    void shouldExitTwoWithUsageWhenArgumentsAreBad() throws Exception {
        Path ok = points("ok.csv", "a,8,1,2");
        String png = dir.resolve("x.png").toString();
        assertEquals(ChartTool.EXIT_USAGE, run("--output", png));
        assertTrue(errText().contains("give at least one --input"), errText());
        assertTrue(errText().contains("Usage: ChartTool"), errText());
        errBytes.reset();
        assertEquals(ChartTool.EXIT_USAGE, run("--input", ok.toString()));
        assertTrue(errText().contains("give --output"), errText());
        errBytes.reset();
        assertEquals(ChartTool.EXIT_USAGE, run("--input", ok.toString(), "--output", png, "--metric", "speed"));
        assertTrue(errText().contains("unknown metric 'speed'"), errText());
        errBytes.reset();
        assertEquals(ChartTool.EXIT_USAGE, run("--input", ok.toString(), "--output", png, "--colour", "red"));
        assertTrue(errText().contains("unknown argument '--colour'"), errText());
        errBytes.reset();
        assertEquals(ChartTool.EXIT_USAGE, run("--input", ok.toString(), "--output", png, "--width", "10"));
        assertTrue(errText().contains("out of range"), errText());
        errBytes.reset();
        assertEquals(ChartTool.EXIT_USAGE, run("--input"));
        assertTrue(errText().contains("--input needs a value"), errText());
        assertFalse(Files.exists(Path.of(png)));
    }

    @Test
    void shouldPrintUsageWhenHelpAsked() {
        assertEquals(0, run("-h"));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("Usage: ChartTool"));
    }
}
