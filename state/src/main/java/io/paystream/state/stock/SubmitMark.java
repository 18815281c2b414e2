package io.paystream.state.stock;

/** The first order of a submission hash within the dedup window (state of the duplicate check). */
public class SubmitMark {
    public long orderId;
    public long createdAtMs;

    public SubmitMark() {}

    public SubmitMark(long orderId, long createdAtMs) {
        this.orderId = orderId;
        this.createdAtMs = createdAtMs;
    }
}
