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

    // The values of the stages' states (hand-written; POJO state of older savepoints migrates).
    public static final TypeInformation<OrderLine> ORDER_LINE =
            new FlatTypeInfo<>(OrderLine.class, StockSerializers.OrderLineSerializer.INSTANCE);
    public static final TypeInformation<SkuHolding> SKU_HOLDING =
            new FlatTypeInfo<>(SkuHolding.class, StockSerializers.SkuHoldingSerializer.INSTANCE);
    public static final TypeInformation<UserHold> USER_HOLD =
            new FlatTypeInfo<>(UserHold.class, StockSerializers.UserHoldSerializer.INSTANCE);
    public static final TypeInformation<RiskOrder> RISK_ORDER =
            new FlatTypeInfo<>(RiskOrder.class, StockSerializers.RiskOrderSerializer.INSTANCE);
    public static final TypeInformation<RiskWindow> RISK_WINDOW =
            new FlatTypeInfo<>(RiskWindow.class, StockSerializers.RiskWindowSerializer.INSTANCE);
    public static final TypeInformation<SubmitMark> SUBMIT_MARK =
            new FlatTypeInfo<>(SubmitMark.class, StockSerializers.SubmitMarkSerializer.INSTANCE);

    private StockTypes() {}
}
