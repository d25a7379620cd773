package io.jccl.bench.perf;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PerfOptionsTest {

    private static PerfOptions parse(String... args) {
        return PerfOptions.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(PerfUsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void shouldUseNcclTestsDefaultsWhenOnlyCollectiveGiven() {
        PerfOptions o = parse("allreduce");
        assertEquals(PerfCollective.ALLREDUCE, o.collective());
        assertEquals(32L << 20, o.minBytes());
        assertEquals(32L << 20, o.maxBytes());
        assertEquals(1, o.stepFactor());
        assertEquals(1L << 20, o.stepBytes());
        assertEquals(20, o.iterations());
        assertEquals(5, o.warmupIterations());
        assertTrue(o.check());
        assertEquals(DataType.FLOAT32, o.type());
        assertEquals(ReduceOp.SUM, o.op());
        assertEquals(0, o.root());
        assertNull(o.algorithm());
        assertEquals("tcp", o.transport());
        assertEquals(0, o.ranks());
        assertNull(o.jsonFile());
        assertEquals(2000, o.sizeBudgetMs());
        assertEquals(0, o.warmupMs());
        assertEquals(0, o.jitWarmupSeconds());
        assertFalse(o.help());
        assertEquals(List.of(32L << 20), o.sizes());
    }

    @Test
    void shouldParseEveryFlagWhenGivenShortForms() {
        PerfOptions o = parse("broadcast", "-b", "8", "-e", "64M", "-f", "4", "-n", "7", "-w", "2", "-c", "0",
                "-d", "bf16", "-o", "max", "-r", "3", "-a", "ring", "-t", "loopback", "-T", "30", "--ranks", "4",
                "--json", "out/r.json", "--csv", "r.csv", "--option", "jccl.lanes=4", "--option", "JCCL_SLICE_BYTES=65536",
                "--size-budget-ms", "500", "--warmup-ms", "250", "--jit-warmup", "12", "--job-timeout", "60", "--jvm-arg", "-Xmx1g");
        assertEquals(PerfCollective.BROADCAST, o.collective());
        assertEquals(8, o.minBytes());
        assertEquals(64L << 20, o.maxBytes());
        assertEquals(4, o.stepFactor());
        assertEquals(7, o.iterations());
        assertEquals(2, o.warmupIterations());
        assertFalse(o.check());
        assertEquals(DataType.BFLOAT16, o.type());
        assertEquals(ReduceOp.MAX, o.op());
        assertEquals(3, o.root());
        assertEquals("ring", o.algorithm());
        assertEquals("loopback", o.transport());
        assertEquals(30, o.timeoutSeconds());
        assertEquals(4, o.ranks());
        assertEquals(Path.of("out/r.json"), o.jsonFile());
        assertEquals(Path.of("r.csv"), o.csvFile());
        assertEquals(Map.of("jccl.lanes", "4", "JCCL_SLICE_BYTES", "65536"), o.options());
        assertEquals(List.of("jccl.lanes", "JCCL_SLICE_BYTES"), List.copyOf(o.options().keySet()));
        assertEquals(500, o.sizeBudgetMs());
        assertEquals(250, o.warmupMs());
        assertEquals(12, o.jitWarmupSeconds());
        assertEquals(60, o.jobTimeoutSeconds());
        assertEquals(List.of("-Xmx1g"), o.jvmArgs());
    }

    @Test
    void shouldParseLongFormsWhenGivenWithEqualsOrSeparately() {
        PerfOptions o = parse("--minbytes=1K", "all_gather", "--maxbytes", "1M", "--stepfactor=2", "--iters=3",
                "--warmup_iters", "0", "--check=0", "--datatype=half", "--json=x.json");
        assertEquals(PerfCollective.ALLGATHER, o.collective());
        assertEquals(1024, o.minBytes());
        assertEquals(1L << 20, o.maxBytes());
        assertEquals(11, o.sizes().size());
        assertEquals(3, o.iterations());
        assertEquals(0, o.warmupIterations());
        assertEquals(DataType.FLOAT16, o.type());
        assertEquals(Path.of("x.json"), o.jsonFile());
    }

    @Test
    void shouldMeasureOneSizeWhenOnlyMinAboveDefaultMaxGiven() {
        assertEquals(List.of(1L << 30), parse("allreduce", "-b", "1G").sizes());
    }

    @Test
    void shouldListValidFlagsWhenFlagIsUnknown() {
        String message = error("allreduce", "-x", "1");
        assertTrue(message.contains("Unknown flag '-x'"), message);
        for (String flag : new String[] {"-b/--minbytes", "-e/--maxbytes", "-f/--stepfactor", "-n/--iters",
                "-w/--warmup_iters", "-c/--check", "-d/--datatype", "-o/--op", "-r/--root", "-a/--algorithm",
                "-t/--transport", "--ranks", "--json", "--csv", "--option"}) {
            assertTrue(message.contains(flag), flag + " missing from: " + message);
        }
        assertTrue(error("allreduce", "--bogus=3").contains("Unknown flag '--bogus'"));
    }

    @Test
    void shouldNameTheProblemWhenValueIsInvalid() {
        assertTrue(error("allreduce", "-b").contains("-b needs a value"));
        assertTrue(error("allreduce", "-b", "lots").contains("-b: 'lots' is not a byte size"));
        assertTrue(error("allreduce", "-n", "0").contains("-n must be in [1,"));
        assertTrue(error("allreduce", "-n", "ten").contains("-n needs a whole number"));
        assertTrue(error("allreduce", "-c", "2").contains("-c must be in [0, 1]"));
        assertTrue(error("allreduce", "-d", "float128").contains("-d: Unknown data type"));
        assertTrue(error("allreduce", "-o", "median").contains("-o: Unknown reduce op"));
        assertTrue(error("allreduce", "-b", "64M", "-e", "8").contains("-b <= -e"));
        assertTrue(error("allreduce", "--option", "novalue").contains("KEY=VALUE"));
        assertTrue(error("allreduce", "--ranks", "0").contains("--ranks must be in [1,"));
        assertTrue(error("allreduce", "-a", "").contains("-a needs an algorithm name"));
    }

    @Test
    void shouldRejectWhenOpIsUndefinedForType() {
        assertTrue(error("allreduce", "-o", "band", "-d", "float").contains("not defined for -d float32"));
        // allgather does not reduce, so the op does not matter.
        assertEquals(ReduceOp.BAND, parse("allgather", "-o", "band", "-d", "float").op());
        assertEquals(ReduceOp.BXOR, parse("allreduce", "-o", "xor", "-d", "int32").op());
    }

    @Test
    void shouldRejectRootOutsideJobWhenRanksKnown() {
        assertTrue(error("broadcast", "--ranks", "2", "-r", "2").contains("-r 2 is not a rank of a 2-rank job"));
        assertEquals(5, parse("allreduce", "--ranks", "2", "-r", "5").root()); // allreduce has no root
        PerfOptions joined = parse("reduce", "-r", "3");
        joined.checkAgainstWorldSize(4);
        assertThrows(PerfUsageException.class, () -> joined.checkAgainstWorldSize(3));
    }

    @Test
    void shouldRequireOneCollectiveWhenPositionalArgumentsGiven() {
        assertTrue(error("-b", "8").contains("Name the collective"));
        assertTrue(error("allreduce", "allgather").contains("Unexpected argument 'allgather'"));
        assertTrue(error("alltoall").contains("Unknown collective 'alltoall'"));
    }

    @Test
    void shouldAskForHelpWhenHelpFlagGivenEvenWithoutCollective() {
        assertTrue(parse("-h").help());
        assertTrue(parse("allreduce", "--help").help());
        String usage = PerfOptions.usage();
        assertTrue(usage.startsWith("Usage: jccl-perf <collective> [flags]"));
        assertTrue(usage.contains("--ranks N"));
    }

    @Test
    void shouldParseChartAndPointsFilesWhenGiven() {
        PerfOptions o = parse("allreduce", "--chart", "out/bw.png", "--points=out/bw.csv");
        assertEquals(Path.of("out/bw.png"), o.chartFile());
        assertEquals(Path.of("out/bw.csv"), o.pointsFile());
        PerfOptions none = parse("allreduce");
        assertNull(none.chartFile());
        assertNull(none.pointsFile());
        assertTrue(error("allreduce", "--chart").contains("--chart needs a value (FILE.png)"));
        assertTrue(error("allreduce", "--points", " ").contains("--points needs a file name"));
        assertTrue(PerfOptions.usage().contains("--chart FILE.png"), PerfOptions.usage());
        assertTrue(PerfOptions.usage().contains("--points FILE.csv"), PerfOptions.usage());
        assertTrue(PerfOptions.flagList().contains("--chart, --points"), PerfOptions.flagList());
        // Ranks get both flags: rank 0 writes the files.
        List<String> args = List.of("allreduce", "--ranks", "2", "--chart", "c.png", "--points=p.csv");
        assertEquals(List.of("allreduce", "--chart", "c.png", "--points=p.csv"), PerfOptions.workerArguments(args));
    }

    @Test
    void shouldDropLauncherFlagsWhenBuildingWorkerArguments() {
        List<String> args = List.of("allreduce", "--ranks", "4", "-b", "8", "--job-timeout=60", "--jvm-arg", "-Xmx1g",
                "--ranks=2", "--json", "a.json");
        assertEquals(List.of("allreduce", "-b", "8", "--json", "a.json"), PerfOptions.workerArguments(args));
        PerfOptions worker = PerfOptions.parse(PerfOptions.workerArguments(args));
        assertEquals(0, worker.ranks());
        assertEquals(8, worker.minBytes());
    }
}
