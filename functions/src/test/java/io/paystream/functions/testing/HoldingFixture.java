package io.paystream.functions.testing;

import io.paystream.state.stock.HoldingPhase;
import io.paystream.state.stock.StockHolding;

/**
 * What the order stage tells the SKU ledger of one order's holding of one SKU; see
 * {@link Fixtures#holding}. Orders are created in the order of their ids (created_at is
 * {@code 1_000_000 + orderId}), each unit at 10.00.
 */
public final class HoldingFixture {
    private final long orderId;
    private long skuId;
    private long userId = 9;
    private long units = 1;
    private HoldingPhase phase = HoldingPhase.OPEN;
    private int revision = 1;

    HoldingFixture(long orderId) {
        this.orderId = orderId;
    }

    public HoldingFixture ofSku(long skuId) {
        this.skuId = skuId;
        return this;
    }

    public HoldingFixture ofUser(long userId) {
        this.userId = userId;
        return this;
    }

    public HoldingFixture units(long units) {
        this.units = units;
        return this;
    }

    public HoldingFixture open() {
        return phase(HoldingPhase.OPEN);
    }

    public HoldingFixture paid() {
        return phase(HoldingPhase.PAID);
    }

    public HoldingFixture released() {
        return phase(HoldingPhase.RELEASED);
    }

    public HoldingFixture retired() {
        return phase(HoldingPhase.RETIRED);
    }

    public HoldingFixture phase(HoldingPhase phase) {
        this.phase = phase;
        return this;
    }

    /** The order's revision: a lower one than the ledger has is stale. */
    public HoldingFixture revision(int revision) {
        this.revision = revision;
        return this;
    }

    public StockHolding build() {
        return new StockHolding()
                .sku(skuId)
                .order(orderId)
                .user(userId)
                .orderCreatedAtMs(1_000_000L + orderId)
                .quantity(units)
                .amountCents(units * 1000)
                .phase(phase)
                .revision(revision);
    }
}
