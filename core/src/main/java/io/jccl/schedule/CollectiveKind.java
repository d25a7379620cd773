package io.jccl.schedule;

/** The collectives the engine runs as schedules. Names are used in option keys ({@code JCCL_ALGO_ALLREDUCE}). */
public enum CollectiveKind {
    ALL_REDUCE("allreduce"),
    ALL_GATHER("allgather"),
    REDUCE_SCATTER("reducescatter"),
    BROADCAST("broadcast"),
    REDUCE("reduce"),
    BARRIER("barrier"),
    SEND("send"),
    RECV("recv");

    private final String key;

    CollectiveKind(String key) {
        this.key = key;
    }

    /** Lower-case key used in rule strings and option names. */
    public String key() {
        return key;
    }

    /** Parses {@link #key()}. */
    public static CollectiveKind fromKey(String key) {
        for (CollectiveKind k : values()) {
            if (k.key.equalsIgnoreCase(key.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown collective '" + key
                + "'; use allreduce, allgather, reducescatter, broadcast, reduce or barrier");
    }
}
