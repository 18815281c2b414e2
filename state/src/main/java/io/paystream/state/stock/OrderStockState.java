package io.paystream.state.stock;

import io.paystream.state.shop.OrderStatus;

/**
 * What the order stage keeps per order (its lines are kept beside it, one entry per item): the
 * order's status, whether it is paid, whether it expired unpaid, and the phase last told to the
 * ledger. Flat and small; cleared when the order's retention is over.
 */
public class OrderStockState {
    /** Binlog version of the newest order row applied; -1: no order row yet (items or a payment came first). */
    public long orderVersion = -1;

    public long userId;
    /** Null until an order row is seen. */
    public OrderStatus status;
    /** The order row was deleted. */
    public boolean deleted;

    public long createdAtMs;
    /** The payment of this order seen in SUCCESS (null: none). */
    public String paidBy;

    public long paymentVersion = -1;
    /** This job expired the order unpaid (CANCEL_UNPAID sent, reservation released). */
    public boolean expired;
    /** When the unpaid-expiry check is next due (0: none pending). */
    public long expiryCheckAt;
    /** The check already waited once for unknown deduct modes. */
    public boolean modeRechecked;
    /** The phase last told to the ledger (null: nothing told yet). */
    public HoldingPhase phase;
    /** Revision of the last holdings emitted. */
    public int revision;
    /** The order is forgotten at this time unless it changes again (its retention). */
    public long retireAt;
    /** The processing time of the one retention timer registered (0: none). */
    public long retireTimer;

    public OrderStockState() {}
}
