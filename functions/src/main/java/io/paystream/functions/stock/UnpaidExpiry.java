package io.paystream.functions.stock;

import io.paystream.state.contract.OrderCommand;
import io.paystream.state.shop.DeductMode;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;

/**
 * The unpaid-expiry check of one order (OrderStock's EXPIRY_PENDING and MODES_PENDING phases): an
 * order still OPEN at its deadline that holds stock of a SKU deducting on order gets
 * {@code CANCEL_UNPAID} and turns EXPIRED; one paid or ended in time turns NO_EXPIRY.
 */
final class UnpaidExpiry {
    /** How soon an overdue order is looked at again when a SKU's deduct mode is not known yet (inventory not read yet). */
    static final long UNKNOWN_MODE_RECHECK_MS = 10_000;

    private final long payTimeoutMs;
    private final OrderLines lines;
    private final Counter unpaidExpired;

    UnpaidExpiry(long payTimeoutMs, OrderLines lines, Counter unpaidExpired) {
        this.payTimeoutMs = payTimeoutMs;
        this.lines = lines;
        this.unpaidExpired = unpaidExpired;
    }

    /**
     * A new order seen CREATED and unpaid: the expiry clock runs from its own created_at, so CDC
     * delay and downtime are counted in, and an order already overdue is looked at at once.
     */
    void start(OrderStockState s, OrderStock.ReadOnlyContext ctx) {
        s.orderPhase = OrderPhase.EXPIRY_PENDING;
        s.expiryCheckAt = s.createdAtMs + payTimeoutMs;
        ctx.timerService().registerProcessingTimeTimer(s.expiryCheckAt);
    }

    /** Runs the check if it is due by {@code now}; {@code holding} is the order's phase before it. */
    void checkIfDue(OrderStockState s, HoldingPhase holding, OrderStock.ReadOnlyContext ctx, long now)
            throws Exception {
        if (!s.orderPhase().expiryDue() || now < s.expiryCheckAt) {
            return;
        }
        if (holding != HoldingPhase.OPEN) {
            s.orderPhase = OrderPhase.NO_EXPIRY; // paid or ended in time
            s.expiryCheckAt = 0;
            return;
        }
        ReadOnlyBroadcastState<Long, DeductMode> modes = ctx.getBroadcastState(OrderStock.DEDUCT_MODES);
        boolean anyLine = false;
        boolean reserves = false;
        boolean unknown = false;
        for (OrderLine line : lines.of(s)) {
            if (line.quantity > 0) {
                anyLine = true;
                DeductMode mode = modes.get(line.skuId);
                unknown |= mode == null;
                reserves |= mode == DeductMode.ORDER;
            }
        }
        if (!anyLine) {
            return; // no lines yet: the check runs again when they arrive
        }
        if (unknown && s.orderPhase() == OrderPhase.EXPIRY_PENDING) {
            waitForModes(s, ctx, now);
        } else if (reserves || unknown) {
            expire(s, ctx, now);
        }
        // Otherwise only deduct-on-payment lines so far: nothing reserved, nothing to cancel. The
        // check stays due, so a deduct-on-order line that arrives late still expires the order.
    }

    /**
     * A SKU's inventory row was not read yet (e.g. the first snapshot is still running): give it a
     * moment, then a SKU still unknown counts as deduct-on-order, as in the ledger.
     */
    private void waitForModes(OrderStockState s, OrderStock.ReadOnlyContext ctx, long now) {
        s.orderPhase = OrderPhase.MODES_PENDING;
        s.modeRechecked = true; // for versions before the phase field
        s.expiryCheckAt = now + UNKNOWN_MODE_RECHECK_MS;
        ctx.timerService().registerProcessingTimeTimer(s.expiryCheckAt);
    }

    private void expire(OrderStockState s, OrderStock.ReadOnlyContext ctx, long now) {
        s.orderPhase = OrderPhase.EXPIRED;
        s.expired = true; // for versions before the phase field
        s.expiryCheckAt = 0;
        long orderId = ctx.getCurrentKey();
        ctx.output(
                StockOutputs.COMMANDS,
                StockOutputs.cancel(
                        OrderCommand.CANCEL_UNPAID,
                        OrderCommand.CANCEL_UNPAID + ":" + orderId,
                        orderId,
                        "not paid " + payTimeoutMs / 1000 + " s after it was created at " + s.createdAtMs
                                + ": its reservation is released",
                        now));
        unpaidExpired.inc();
    }
}
