package io.paystream.functions.stock;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.SkuHolding;
import io.paystream.state.stock.SkuLedger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;

/**
 * The oversell decisions of one SKU ({@link StockLedger}): a sale that takes the sold units beyond
 * the stock, or a cut of the stock below them, raises {@code OVERSOLD} for the latest sales that
 * do not fit, each once.
 */
final class Oversell {
    private final MapState<Long, SkuHolding> holdings;
    private final Counter oversoldOrders;

    Oversell(MapState<Long, SkuHolding> holdings, Counter oversoldOrders) {
        this.holdings = holdings;
        this.oversoldOrders = oversoldOrders;
    }

    /** A sale grew: beyond the stock (once the stock is known), its units over it are oversold. */
    void checkSale(SkuLedger l, long skuId, long orderId, SkuHolding e, StockLedger.Context ctx, long now) {
        if (l.inventoryVersion >= 0 && l.paidUnits > l.stock && !e.oversold) {
            e.oversold = true;
            raise(l, skuId, orderId, e, Math.min(e.quantity, l.paidUnits - l.stock), ctx, now);
        }
    }

    /**
     * The stock was cut below the sold units: the latest sales that no longer fit are beyond it.
     * Rare (an operator's change), so walking this SKU's open holdings is fine here.
     */
    void flagSalesBeyondStock(SkuLedger l, long skuId, StockLedger.Context ctx, long now) throws Exception {
        List<Map.Entry<Long, SkuHolding>> sales = new ArrayList<>();
        for (Map.Entry<Long, SkuHolding> e : holdings.entries()) {
            if (e.getValue().phase == HoldingPhase.PAID) {
                sales.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        sales.sort(Comparator.comparingLong((Map.Entry<Long, SkuHolding> e) -> e.getValue().saleSeq)
                .reversed());
        long excess = l.paidUnits - l.stock;
        for (Map.Entry<Long, SkuHolding> e : sales) {
            if (excess <= 0) {
                break;
            }
            SkuHolding h = e.getValue();
            long beyond = Math.min(h.quantity, excess);
            excess -= h.quantity;
            if (!h.oversold) {
                h.oversold = true;
                raise(l, skuId, e.getKey(), h, beyond, ctx, now);
                holdings.put(e.getKey(), h);
            }
        }
    }

    private void raise(
            SkuLedger l, long skuId, long orderId, SkuHolding e, long beyond, StockLedger.Context ctx, long now) {
        Alert a = new Alert();
        a.type = Alert.OVERSOLD;
        a.alertId = a.type + ":" + skuId + ":" + orderId;
        a.skuId = skuId;
        a.orderId = orderId;
        a.userId = e.userId;
        a.amount = Money.yuan(e.amountCents);
        a.reason = "SKU " + skuId + ": " + l.paidUnits + " units sold of " + l.stock + " in stock; " + beyond
                + " of order " + orderId + "'s " + e.quantity + " units are beyond the stock: refund or compensate";
        a.raisedAt = now;
        ctx.output(StockOutputs.ALERTS, a);
        oversoldOrders.inc();
    }
}
