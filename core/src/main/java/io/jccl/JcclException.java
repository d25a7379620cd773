package io.jccl;

/** Base of every error JCCL raises; messages name the problem and, where there is one, the fix. */
public class JcclException extends RuntimeException {
    public JcclException(String message) {
        super(message);
    }

    public JcclException(String message, Throwable cause) {
        super(message, cause);
    }
}
