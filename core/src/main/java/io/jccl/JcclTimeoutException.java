package io.jccl;

/** A blocking call or an asynchronous collective did not finish before its deadline. */
public class JcclTimeoutException extends JcclException {
    public JcclTimeoutException(String message) {
        super(message);
    }
}
