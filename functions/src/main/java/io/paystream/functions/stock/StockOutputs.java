package io.paystream.functions.stock;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.dlq.DeadLetter;
import io.paystream.state.shop.OrderItemRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs the stock functions share: alerts, order commands and dead letters. */
public final class StockOutputs {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("stock-alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<OrderCommand> COMMANDS =
            new OutputTag<>("stock-order-commands", TypeInformation.of(OrderCommand.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("stock-dead-letters", TypeInformation.of(DeadLetter.class));

    private StockOutputs() {}

    static OrderCommand cancel(String type, String commandId, long orderId, String reason, long now) {
        OrderCommand c = new OrderCommand();
        c.type = type;
        c.commandId = commandId;
        c.orderId = orderId;
        c.reason = reason;
        c.emittedAt = now;
        return c;
    }

    /** An order line without a positive quantity: counting it would corrupt the ledger; a person should look. */
    static DeadLetter notAPurchase(RowChange<OrderItemRow> change, long now) {
        OrderItemRow row = change.row();
        return new DeadLetter(
                "cdc:order_items",
                "order item " + row.itemId + " has quantity " + row.quantity + ": must be positive",
                change.toString(),
                now);
    }
}
