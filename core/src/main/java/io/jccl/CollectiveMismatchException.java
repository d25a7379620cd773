package io.jccl;

/**
 * Two ranks called different collectives (or the same one with different type, count, op, root
 * or algorithm). Detected from the descriptor every message carries; always on.
 */
public class CollectiveMismatchException extends JcclException {
    public CollectiveMismatchException(String message) {
        super(message);
    }
}
