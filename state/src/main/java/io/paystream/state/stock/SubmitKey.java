package io.paystream.state.stock;

/** A submission hash seen, for Redis {@code order:submit:{hash}}: the first order, until the window ends. */
public class SubmitKey {
    public String submitHash;
    /** The first order submitted with this hash in the window. */
    public long orderId;
    /** When the window ends (epoch ms): the key's absolute expiry. */
    public long expireAtMs;

    public SubmitKey() {}

    public SubmitKey(String submitHash, long orderId, long expireAtMs) {
        this.submitHash = submitHash;
        this.orderId = orderId;
        this.expireAtMs = expireAtMs;
    }
}
