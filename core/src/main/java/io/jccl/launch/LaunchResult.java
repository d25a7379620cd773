package io.jccl.launch;

import java.util.List;

/**
 * How a launch ended. Immutable.
 *
 * @param exitCode        0 when every rank exited 0; the first failed rank's code; or
 *                        {@link Launcher#TIMEOUT_EXIT_CODE} when the overall timeout struck
 * @param firstFailedRank the rank whose non-zero exit tore the job down, or -1
 * @param timedOut        whether the overall timeout killed the job
 * @param rankExitCodes   every rank's exit code, indexed by rank (ranks the launcher stopped show the
 *                        code of their termination, e.g. 143 for SIGTERM or 137 for SIGKILL)
 * @param rankPids        every rank's process id, indexed by rank
 * @param masterPort      the {@code JCCL_MASTER_PORT} the ranks were given (the picked one when asked for 0)
 */
public record LaunchResult(int exitCode, int firstFailedRank, boolean timedOut, List<Integer> rankExitCodes,
                           List<Long> rankPids, int masterPort) {
    public LaunchResult {
        rankExitCodes = List.copyOf(rankExitCodes);
        rankPids = List.copyOf(rankPids);
    }

    /** Whether every rank exited 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
