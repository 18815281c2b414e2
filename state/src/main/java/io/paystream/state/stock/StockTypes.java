package io.paystream.state.stock;

import io.paystream.state.serializers.FlatTypeInfo;
import io.paystream.state.serializers.StockSerializers;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information of the records the stock ledger's stages pass on, with their hand-written serializers. */
public final class StockTypes {
    public static final TypeInformation<AccountOrder> ACCOUNT_ORDER =
            new FlatTypeInfo<>(AccountOrder.class, StockSerializers.AccountOrderSerializer.INSTANCE);
    public static final TypeInformation<StockHolding> STOCK_HOLDING =
            new FlatTypeInfo<>(StockHolding.class, StockSerializers.StockHoldingSerializer.INSTANCE);

    private StockTypes() {}
}
