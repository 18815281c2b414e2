package io.paystream.state.cdc;

/**
 * What paystream knows of one order number while items or payments reference orders by number:
 * the order's id once its row has been read, or that rows are waiting for it.
 */
public class OrderReference {
    /** Where the number stands. */
    public enum Phase {
        /** Rows naming this number arrived before any order row with it: they wait in state. */
        WAITING_FOR_ORDER,
        /** An order row with this number was read: rows naming it get {@link #orderId} at once. */
        KNOWN
    }

    public Phase phase;
    /** The order's id; 0 while {@link Phase#WAITING_FOR_ORDER}. */
    public long orderId;
    /**
     * The one timer this number has: while waiting, when the waiting rows become dead letters;
     * once known, when the number is forgotten unless another order row with it arrives first.
     */
    public long timerAt;

    public OrderReference() {}
}
