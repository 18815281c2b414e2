package io.paystream.functions.stock;

import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderPhase;
import io.paystream.state.stock.OrderStockState;
import io.paystream.state.stock.StockHolding;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * What the ledger is told of an order: its {@link HoldingPhase} from what is known (after the
 * expiry check, when due), and its absolute holding per SKU, summed over its lines in one pass.
 */
final class OrderHoldings {
    private final OrderLines lines;
    private final UnpaidExpiry expiry;

    OrderHoldings(OrderLines lines, UnpaidExpiry expiry) {
        this.lines = lines;
        this.expiry = expiry;
    }

    /**
     * Applies what changed: expires the order if it is overdue, and tells the ledger the new
     * holdings (all SKUs when the holding phase changed, else only {@code changedSkus}).
     */
    void settle(
            OrderStockState s,
            long[] changedSkus,
            OrderStock.ReadOnlyContext ctx,
            Collector<StockHolding> out,
            long now)
            throws Exception {
        expiry.checkIfDue(s, holdingPhaseOf(s), ctx, now);
        HoldingPhase phase = holdingPhaseOf(s);
        long orderId = ctx.getCurrentKey();
        if (phase != null && phase != s.phase && !(s.phase == null && phase == HoldingPhase.RELEASED)) {
            // A new phase: every SKU of the order is told (and those a changed line just left).
            // An order first seen ended (a cancelled order in the snapshot) has nothing to tell.
            tellAll(s, phase, changedSkus, orderId, out);
        } else if (phase != null && changedSkus != null && phase != HoldingPhase.RELEASED) {
            // A line changed in an order whose phase did not: only its SKUs are told. (A released
            // order holds nothing at the ledger, so a late line of it changes nothing there.)
            tellOnly(s, phase, changedSkus, orderId, out);
        }
        s.phase = phase;
    }

    /** OPEN, PAID or RELEASED from what is known; null while the order row is unknown. */
    static HoldingPhase holdingPhaseOf(OrderStockState s) {
        if (!s.hasOrderRow()) {
            return null;
        }
        if (s.deleted || s.status == OrderStatus.CANCELLED || s.status == OrderStatus.CLOSED) {
            return HoldingPhase.RELEASED; // ended by the shop: wins over a payment (that one is refunded)
        }
        if (s.status == OrderStatus.PAID || s.paidBy != null) {
            return HoldingPhase.PAID; // also a payment that arrives after this job expired the order
        }
        return s.orderPhase() == OrderPhase.EXPIRED ? HoldingPhase.RELEASED : HoldingPhase.OPEN;
    }

    /** The order's holding of every SKU it has units of, and of {@code alsoSkus} (also when they fell to 0 units). */
    void tellAll(OrderStockState s, HoldingPhase phase, long[] alsoSkus, long orderId, Collector<StockHolding> out)
            throws Exception {
        emit(s, phase, sums(s, alsoSkus, true), orderId, out);
    }

    /**
     * RETIRED for every SKU the order has a line of, also a deleted line's (0 units): the ledger
     * drops whatever it keeps of the order there. (A line moved to another SKU leaves no trace of
     * its old SKU here; a ledger entry kept there for a raised alert is not told and stays.)
     */
    void tellRetired(OrderStockState s, long orderId, Collector<StockHolding> out) throws Exception {
        Map<Long, long[]> bySku = new HashMap<>(4);
        for (OrderLine line : lines.of(s)) {
            long[] sum = bySku.computeIfAbsent(line.skuId, k -> new long[2]);
            sum[0] += line.quantity;
            sum[1] += line.quantity * line.unitPriceCents;
        }
        emit(s, HoldingPhase.RETIRED, bySku, orderId, out);
    }

    /** The order's holding of the SKUs in {@code skus} only (a line of them changed). */
    void tellOnly(OrderStockState s, HoldingPhase phase, long[] skus, long orderId, Collector<StockHolding> out)
            throws Exception {
        emit(s, phase, sums(s, skus, false), orderId, out);
    }

    /** sku -> {quantity, amount}: of {@code skus}, and with {@code everySku} of every SKU with units. */
    private Map<Long, long[]> sums(OrderStockState s, long[] skus, boolean everySku) throws Exception {
        Map<Long, long[]> bySku = new HashMap<>(4);
        if (skus != null) {
            for (long sku : skus) {
                bySku.put(sku, new long[2]);
            }
        }
        for (OrderLine line : lines.of(s)) {
            long[] sum = everySku && line.quantity > 0
                    ? bySku.computeIfAbsent(line.skuId, k -> new long[2])
                    : bySku.get(line.skuId);
            if (sum != null) {
                sum[0] += line.quantity;
                sum[1] += line.quantity * line.unitPriceCents;
            }
        }
        return bySku;
    }

    private static void emit(
            OrderStockState s, HoldingPhase phase, Map<Long, long[]> bySku, long orderId, Collector<StockHolding> out) {
        if (bySku.isEmpty()) {
            return;
        }
        s.revision++;
        for (Map.Entry<Long, long[]> e : bySku.entrySet()) {
            out.collect(new StockHolding()
                    .sku(e.getKey())
                    .order(orderId)
                    .user(s.userId)
                    .orderCreatedAtMs(s.createdAtMs)
                    .quantity(e.getValue()[0])
                    .amountCents(e.getValue()[1])
                    .phase(phase)
                    .revision(s.revision));
        }
    }
}
