package io.jccl.examples;

import io.jccl.Communicator;
import io.jccl.DataType;
import io.jccl.ReduceOp;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** The README's quick-start, compiled and run by the build (see {@code QuickStartIT}). */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        // quickstart:begin
        try (Communicator comm = Communicator.builder().fromEnvironment().transport("tcp").build()) {
            int n = 1 << 20;
            ByteBuffer grads = comm.allocate(4L * n);                  // off-heap, native byte order
            grads.asFloatBuffer().put(0, comm.rank() + 1f);
            comm.allReduce(grads, n, DataType.FLOAT32, ReduceOp.SUM);  // in place, blocking
            CompletableFuture<Void> avg = comm.allReduceAsync(grads, n, DataType.FLOAT32, ReduceOp.AVG);
            avg.join();                                                // or compose; completes within the timeout
            System.out.println("rank " + comm.rank() + " of " + comm.worldSize() + ": " + grads.getFloat(0));
        }
        // quickstart:end
    }
}
