package io.jccl.transport.tcp;

import io.jccl.CallOptions;
import io.jccl.Collectives;
import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.testkit.ReferenceData;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One rank of the multi-process tests: joins the job through the environment the launcher sets,
 * runs collectives over TCP and checks every result against {@link ReferenceData}. Exits 0 when
 * all match; prints the first difference and exits 1 otherwise.
 *
 * <p>Modes: {@code check} (default) runs the checks; {@code die-after-first} makes rank 1 exit
 * abruptly after the first collective so the others must fail fast instead of hanging.
 */
public final class CollectivesWorker {
    private CollectivesWorker() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "check";
        try (Communicator comm = Communicator.builder().fromEnvironment().transport("tcp")
                .timeout(Duration.ofSeconds(60)).build()) {
            int n = comm.worldSize();
            int r = comm.rank();
            if (mode.equals("die-after-first")) {
                comm.barrier();
                if (r == 1) {
                    System.out.println("rank 1 exits on purpose");
                    Runtime.getRuntime().halt(3);
                }
                try {
                    allReduce(comm, null, DataType.FLOAT32, ReduceOp.SUM, 1 << 16, n, r);
                    System.out.println("unexpected success");
                    System.exit(0);
                } catch (RuntimeException e) {
                    System.out.println("failed as expected: " + e);
                    System.exit(2);
                }
            }
            for (String algo : new String[] {"ring", "tree", "recursive_doubling", null}) {
                for (DataType t : new DataType[] {DataType.FLOAT32, DataType.BFLOAT16, DataType.INT64}) {
                    for (long count : new long[] {0, 1, n + 1, 1009, 300_007}) {
                        allReduce(comm, algo, t, ReduceOp.SUM, count, n, r);
                    }
                }
            }
            allReduce(comm, null, DataType.FLOAT16, ReduceOp.AVG, 4099, n, r);
            allReduce(comm, null, DataType.UINT8, ReduceOp.MAX, 4099, n, r);
            allGather(comm, DataType.FLOAT32, 100_003, n, r);
            allGather(comm, DataType.INT8, 7, n, r);
            broadcast(comm, DataType.FLOAT64, 65_537, n, r, n - 1);
            comm.barrier();
            System.out.println("rank " + r + " OK");
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void allReduce(Communicator comm, String algo, DataType t, ReduceOp op, long count, int n, int r) {
        Collectives c = algo == null ? comm : comm.with(CallOptions.algorithm(algo));
        int es = t.sizeBytes();
        ByteBuffer buf = comm.allocate(count * es);
        ReferenceData.fill(buf, 0, t, r, 0, count);
        c.allReduce(buf, count, t, op);
        ByteBuffer want = comm.allocate(count * es);
        for (long i = 0; i < count; i++) {
            ReferenceData.put(want, (int) (i * es), t, ReferenceData.reduce(t, op, n, i, 0));
        }
        check("allreduce " + algo + " " + t + " " + op + " " + count, buf, want);
    }

    private static void allGather(Communicator comm, DataType t, long count, int n, int r) {
        int es = t.sizeBytes();
        ByteBuffer in = comm.allocate(count * es);
        ReferenceData.fill(in, 0, t, r, 0, count);
        ByteBuffer out = comm.allocate(count * es * n);
        comm.allGather(in, out, count, t);
        ByteBuffer want = comm.allocate(count * es * n);
        for (int b = 0; b < n; b++) {
            ReferenceData.fill(want, (int) (b * count * es), t, b, 0, count);
        }
        check("allgather " + t + " " + count, out, want);
    }

    private static void broadcast(Communicator comm, DataType t, long count, int n, int r, int root) {
        int es = t.sizeBytes();
        ByteBuffer buf = comm.allocate(count * es);
        if (r == root) {
            ReferenceData.fill(buf, 0, t, r, 0, count);
        }
        comm.broadcast(buf, count, t, root);
        ByteBuffer want = comm.allocate(count * es);
        ReferenceData.fill(want, 0, t, root, 0, count);
        check("broadcast " + t + " " + count, buf, want);
    }

    private static void check(String what, ByteBuffer got, ByteBuffer want) {
        int m = got.mismatch(want);
        if (m >= 0) {
            throw new AssertionError(what + ": first wrong byte at " + m);
        }
    }
}
