package io.paystream.functions.stock;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.stock.AccountOrder;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Each order change once per subject the risk check counts it against: its account and its client IP. */
public class AccountOrders implements FlatMapFunction<RowChange<OrderRow>, AccountOrder> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(RowChange<OrderRow> change, Collector<AccountOrder> out) {
        if (change.op == ChangeOp.UPDATE
                && !(change.after.status == OrderStatus.PAID
                        && (change.before == null || change.before.status != OrderStatus.PAID))) {
            return; // only creation, payment and deletion move a subject's unpaid count (a cancelled order still
            // counts)
        }
        OrderRow row = change.row();
        out.collect(of("user:" + row.userId, change, row));
        if (row.clientIp != null && !row.clientIp.isBlank()) {
            out.collect(of("ip:" + row.clientIp, change, row));
        }
    }

    private static AccountOrder of(String subject, RowChange<OrderRow> change, OrderRow row) {
        AccountOrder a = new AccountOrder();
        a.subject = subject;
        a.orderId = row.orderId;
        a.userId = row.userId;
        a.clientIp = row.clientIp;
        a.status = row.status;
        a.deleted = change.isDelete();
        a.createdAtMs = row.createdAtMs;
        a.version = change.version;
        return a;
    }
}
