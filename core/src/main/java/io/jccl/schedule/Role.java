package io.jccl.schedule;

/**
 * Which memory a step operand refers to. The engine resolves roles to the caller's buffers:
 * <ul>
 * <li>{@code INPUT}: the send buffer (read only; never written by a schedule);</li>
 * <li>{@code OUTPUT}: the receive buffer;</li>
 * <li>{@code SCRATCH}: engine-owned memory of {@link Schedule#scratchElements()} elements.</li>
 * </ul>
 * Shapes per collective ({@code n} = world size, {@code c} = {@link CollectiveSpec#countElements()}):
 * allreduce INPUT c / OUTPUT c; allgather INPUT c / OUTPUT n*c; reducescatter INPUT n*c / OUTPUT c;
 * broadcast INPUT c (read at the root only) / OUTPUT c; reduce INPUT c / OUTPUT c (root only: a
 * schedule must not touch OUTPUT on other ranks); barrier none. For in-place calls the engine maps
 * INPUT onto OUTPUT (allgather: INPUT is OUTPUT block {@code rank}; reducescatter: OUTPUT is INPUT
 * block {@code rank}), so a schedule is correct in place as long as it never writes a region it
 * still has to read as INPUT.
 */
public enum Role {
    INPUT, OUTPUT, SCRATCH;

    private static final Role[] VALUES = values();

    static Role of(int ordinal) {
        return VALUES[ordinal];
    }
}
