package io.paystream.state.stock;

import io.paystream.state.shop.OrderStatus;

/**
 * What the order stage keeps per order (its lines are kept beside it, one entry per item): the
 * order's status, whether it is paid, its own {@link #orderPhase} (row known? expiry pending,
 * expired?), and the holding phase last told to the ledger. Flat and small; cleared when the
 * order's retention is over.
 */
public class OrderStockState {
    /** Binlog version of the newest order row applied (-1 while AWAITING_ORDER_ROW). */
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
    /**
     * This job expired the order unpaid. Superseded by {@link #orderPhase} EXPIRED; still written,
     * so that older versions can read the state, and read to derive the phase of older state.
     */
    public boolean expired;
    /** EXPIRY_PENDING and MODES_PENDING: when the unpaid-expiry check is next due (else 0). */
    public long expiryCheckAt;
    /**
     * The check already waited once for unknown deduct modes. Superseded by {@link #orderPhase}
     * MODES_PENDING; still written for older versions, and read to derive the phase of older state.
     */
    public boolean modeRechecked;
    /** The phase last told to the ledger (null: nothing told yet). */
    public HoldingPhase phase;
    /** Revision of the last holdings emitted. */
    public int revision;
    /** The order is forgotten at this time unless it changes again (its retention). */
    public long retireAt;
    /** The processing time of the one retention timer registered (0: none). */
    public long retireTimer;

    /**
     * Where the order is in this stage. Added in 0.3 (state evolution): an order restored from an
     * older savepoint has none, and {@link #orderPhase()} derives it from the fields older
     * versions kept.
     */
    public OrderPhase orderPhase;

    /**
     * The order's lines, one per item, in the order they arrived (an order has a handful; reading
     * them with the order is one state access instead of a map state's iteration per row, issue
     * 15). Null only in state restored from a savepoint written before they moved here: those
     * lines are still in the stage's "order-lines" map state and move in when the order is next
     * touched ({@code OrderLines} in the functions). A new order starts with {@link OrderLine#NONE}.
     */
    public OrderLine[] lines;

    public OrderStockState() {}

    /**
     * The order's phase; for state restored from before the field existed (null), derived once
     * from what older versions encoded in sentinels and flags: no order row yet
     * ({@code orderVersion} -1), {@code expired}, an expiry check pending ({@code expiryCheckAt}
     * not 0, {@code modeRechecked} once it waited for deduct modes), else none pending.
     */
    public OrderPhase orderPhase() {
        if (orderPhase == null) {
            orderPhase = derivedOrderPhase();
        }
        return orderPhase;
    }

    private OrderPhase derivedOrderPhase() {
        if (orderVersion < 0) {
            return OrderPhase.AWAITING_ORDER_ROW;
        }
        if (expired) {
            return OrderPhase.EXPIRED;
        }
        if (expiryCheckAt != 0) {
            return modeRechecked ? OrderPhase.MODES_PENDING : OrderPhase.EXPIRY_PENDING;
        }
        return OrderPhase.NO_EXPIRY;
    }

    /** The order row is known. */
    public boolean hasOrderRow() {
        return orderPhase() != OrderPhase.AWAITING_ORDER_ROW;
    }
}
