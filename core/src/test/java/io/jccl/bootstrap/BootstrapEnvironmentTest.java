package io.jccl.bootstrap;

import io.jccl.JcclException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class BootstrapEnvironmentTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String failure(Map<String, String> env) {
        return assertThrows(JcclException.class, () -> BootstrapEnvironment.detect(env)).getMessage();
    }

    @Test
    void shouldReadJcclVariablesWhenAllAreSet() {
        BootstrapEnvironment e = BootstrapEnvironment.detect(env("JCCL_RANK", "2", "JCCL_WORLD_SIZE", "4",
                "JCCL_LOCAL_RANK", "0", "JCCL_MASTER_ADDR", "node7", "JCCL_MASTER_PORT", "1234"));
        assertEquals(new BootstrapEnvironment(2, 4, 0, "node7", 1234, "JCCL"), e);
        assertTrue(e.hasLocalRank());
    }

    @Test
    void shouldUseDefaultsWhenMasterAndLocalRankAreUnset() {
        BootstrapEnvironment e = BootstrapEnvironment.detect(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "1"));
        assertEquals(new BootstrapEnvironment(0, 1, -1, "127.0.0.1", 29500, "JCCL"), e);
        assertFalse(e.hasLocalRank());
    }

    @Test
    void shouldReadTorchrunVariables() {
        BootstrapEnvironment e = BootstrapEnvironment.detect(env("RANK", "3", "WORLD_SIZE", "8", "LOCAL_RANK", "3",
                "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29400"));
        assertEquals(new BootstrapEnvironment(3, 8, 3, "10.0.0.1", 29400, "torchrun"), e);
    }

    @Test
    void shouldReadOpenMpiVariablesWithMasterFromEitherName() {
        Map<String, String> base = env("OMPI_COMM_WORLD_RANK", "5", "OMPI_COMM_WORLD_SIZE", "6",
                "OMPI_COMM_WORLD_LOCAL_RANK", "1");
        assertEquals(new BootstrapEnvironment(5, 6, 1, "127.0.0.1", 29500, "Open MPI"), BootstrapEnvironment.detect(base));
        base.put("MASTER_ADDR", "head");
        base.put("MASTER_PORT", "4000");
        assertEquals(new BootstrapEnvironment(5, 6, 1, "head", 4000, "Open MPI"), BootstrapEnvironment.detect(base));
        base.put("JCCL_MASTER_ADDR", "jccl-head");
        base.put("JCCL_MASTER_PORT", "5000");
        assertEquals(new BootstrapEnvironment(5, 6, 1, "jccl-head", 5000, "Open MPI"), BootstrapEnvironment.detect(base));
    }

    @Test
    void shouldReadSlurmVariables() {
        BootstrapEnvironment e = BootstrapEnvironment.detect(env("SLURM_PROCID", "7", "SLURM_NTASKS", "16",
                "SLURM_LOCALID", "3", "JCCL_MASTER_ADDR", "n001", "JCCL_MASTER_PORT", "29501"));
        assertEquals(new BootstrapEnvironment(7, 16, 3, "n001", 29501, "Slurm"), e);
    }

    @Test
    void shouldPreferConventionsInDocumentedOrderWhenSeveralAreSet() {
        Map<String, String> all = env("JCCL_RANK", "1", "JCCL_WORLD_SIZE", "2", "RANK", "3", "WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_RANK", "5", "OMPI_COMM_WORLD_SIZE", "6", "SLURM_PROCID", "7", "SLURM_NTASKS", "8");
        assertEquals("JCCL", BootstrapEnvironment.detect(all).convention());
        all.remove("JCCL_RANK");
        all.remove("JCCL_WORLD_SIZE");
        assertEquals("torchrun", BootstrapEnvironment.detect(all).convention());
        assertEquals(3, BootstrapEnvironment.detect(all).rank());
        all.remove("RANK");
        all.remove("WORLD_SIZE");
        assertEquals("Open MPI", BootstrapEnvironment.detect(all).convention());
        all.remove("OMPI_COMM_WORLD_RANK");
        all.remove("OMPI_COMM_WORLD_SIZE");
        assertEquals("Slurm", BootstrapEnvironment.detect(all).convention());
    }

    @Test
    void shouldListEveryConventionWhenNoRankIsSet() {
        String m = failure(env("PATH", "/usr/bin", "MASTER_ADDR", "x"));
        for (String name : new String[] {"JCCL_RANK", "JCCL_WORLD_SIZE", "RANK", "WORLD_SIZE", "OMPI_COMM_WORLD_RANK",
                "OMPI_COMM_WORLD_SIZE", "SLURM_PROCID", "SLURM_NTASKS", "JCCL_MASTER_ADDR", "io.jccl.launch.Launcher"}) {
            assertTrue(m.contains(name), name + " missing from: " + m);
        }
    }

    @Test
    void shouldNameMissingPartnerWhenOnlyRankOrSizeIsSet() {
        String m = failure(env("JCCL_RANK", "0"));
        assertTrue(m.startsWith("JCCL_RANK is set but JCCL_WORLD_SIZE is not"), m);
        m = failure(env("WORLD_SIZE", "4"));
        assertTrue(m.startsWith("WORLD_SIZE is set but RANK is not") && m.contains("torchrun"), m);
        m = failure(env("SLURM_NTASKS", "4"));
        assertTrue(m.startsWith("SLURM_NTASKS is set but SLURM_PROCID is not"), m);
        m = failure(env("OMPI_COMM_WORLD_RANK", "1"));
        assertTrue(m.startsWith("OMPI_COMM_WORLD_RANK is set but OMPI_COMM_WORLD_SIZE is not"), m);
    }

    @Test
    void shouldNameVariableWhenValueIsNotANumber() {
        assertTrue(failure(env("JCCL_RANK", "one", "JCCL_WORLD_SIZE", "2")).startsWith("JCCL_RANK='one' is not a whole number"));
        assertTrue(failure(env("RANK", "0", "WORLD_SIZE", "")).startsWith("WORLD_SIZE='' is not a whole number"));
        assertTrue(failure(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "2", "JCCL_LOCAL_RANK", "x"))
                .startsWith("JCCL_LOCAL_RANK='x'"));
        assertTrue(failure(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "2", "JCCL_MASTER_PORT", "http"))
                .startsWith("JCCL_MASTER_PORT='http'"));
    }

    @Test
    void shouldRejectRankNotBelowWorldSize() {
        String m = failure(env("JCCL_RANK", "4", "JCCL_WORLD_SIZE", "4"));
        assertTrue(m.startsWith("JCCL_RANK=4 is not in [0, 4) with JCCL_WORLD_SIZE=4") && m.contains("0 to 3"), m);
        m = failure(env("SLURM_PROCID", "-1", "SLURM_NTASKS", "4"));
        assertTrue(m.startsWith("SLURM_PROCID=-1"), m);
        m = failure(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "0"));
        assertTrue(m.startsWith("JCCL_WORLD_SIZE=0 must be at least 1"), m);
        m = failure(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "2", "JCCL_LOCAL_RANK", "2"));
        assertTrue(m.startsWith("JCCL_LOCAL_RANK=2"), m);
    }

    @Test
    void shouldRejectBadMasterAddressOrPort() {
        assertTrue(failure(env("RANK", "0", "WORLD_SIZE", "1", "MASTER_PORT", "70000"))
                .startsWith("MASTER_PORT=70000 is not a TCP port"));
        assertTrue(failure(env("RANK", "0", "WORLD_SIZE", "1", "JCCL_MASTER_PORT", "0"))
                .startsWith("JCCL_MASTER_PORT=0 is not a TCP port"));
        assertTrue(failure(env("RANK", "0", "WORLD_SIZE", "1", "JCCL_MASTER_ADDR", " "))
                .startsWith("JCCL_MASTER_ADDR is empty"));
    }

    @Test
    void shouldListEveryVariableItReads() {
        java.util.Set<String> read = new java.util.HashSet<>();
        for (Map<String, String> e : java.util.List.of(env(), env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "1"),
                env("RANK", "0", "WORLD_SIZE", "1"), env("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "1"),
                env("SLURM_PROCID", "0", "SLURM_NTASKS", "1"))) {
            Map<String, String> recording = new HashMap<>(e) {
                @Override
                public String get(Object key) {
                    read.add((String) key);
                    return super.get(key);
                }
            };
            try {
                BootstrapEnvironment.detect(recording);
            } catch (JcclException expectedForEmpty) {
                // The empty environment still reads every rank variable before failing.
            }
        }
        java.util.Set<String> expected = java.util.Set.of("JCCL_RANK", "JCCL_WORLD_SIZE", "JCCL_LOCAL_RANK",
                "JCCL_MASTER_ADDR", "JCCL_MASTER_PORT", "RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR",
                "MASTER_PORT", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
                "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID");
        assertEquals(expected, read, "names detect() reads");
        assertEquals(expected, new java.util.HashSet<>(BootstrapEnvironment.VARIABLES));
        assertEquals(expected.size(), BootstrapEnvironment.VARIABLES.size(), "no duplicates");
    }
}
