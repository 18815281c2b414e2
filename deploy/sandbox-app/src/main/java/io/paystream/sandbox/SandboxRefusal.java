package io.paystream.sandbox;

/**
 * The sandbox will not start as asked, for a reason the message says in full (an option, a schema
 * file's statement, the mapping's problems): printed as it is, without a stack trace.
 */
public final class SandboxRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxRefusal(String message) {
        super(message);
    }
}
