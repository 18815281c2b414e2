package io.paystream.jobs.mapping;

import io.paystream.state.cdc.ShopTable;
import io.paystream.state.shop.ExtraColumn;
import io.paystream.state.shop.InventoryRow;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.RefundRow;
import java.security.MessageDigest;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * Reads one logical table's typed rows from the binlog rows of one physical table: the table's
 * mapping compiled against that table's row schema, once per schema (a DDL change brings a new
 * schema and a new reader). A field the mapping leaves out reads as absent (null or 0).
 */
public final class RowReader {
    public final ShopTable table;
    /** {@code database.table} of the physical table (a shard of the logical one). */
    public final String physicalTable;

    private final BoundField[] fields = new BoundField[ShopField.values().length];
    /** The extra order columns for the order documents, with their names; empty for none. */
    private final BoundField[] extras;

    private final String[] extraNames;
    private final boolean[] extraIsDate;
    private final Map<Long, String> deductModePerSku;
    private final Map<Long, String> limitPerSku;
    private final MessageDigest digest = BoundField.sha256();

    public RowReader(TableMapping mapping, String physicalTable, Schema rowSchema) {
        this.table = mapping.table;
        this.physicalTable = physicalTable;
        for (ShopField f : ShopField.of(mapping.table)) {
            FieldSource s = mapping.field(f);
            if (s != null) {
                fields[f.ordinal()] = new BoundField(s, physicalTable, rowSchema);
            }
        }
        extras = new BoundField[mapping.searchFields.size()];
        extraNames = new String[extras.length];
        extraIsDate = new boolean[extras.length];
        for (int i = 0; i < extras.length; i++) {
            SearchField sf = mapping.searchFields.get(i);
            extras[i] = new BoundField(sf.source(), physicalTable, rowSchema);
            extraNames[i] = sf.name;
            extraIsDate[i] = sf.type.equals("date");
        }
        FieldSource mode = mapping.field(ShopField.SKU_DEDUCT_MODE);
        FieldSource limit = mapping.field(ShopField.SKU_PER_USER_LIMIT);
        this.deductModePerSku = mode == null ? Map.of() : mode.perSku;
        this.limitPerSku = limit == null ? Map.of() : limit.perSku;
    }

    private BoundField f(ShopField field) {
        return fields[field.ordinal()];
    }

    public OrderRow order(Struct s) {
        OrderRow r = new OrderRow();
        r.orderId = f(ShopField.ORDER_ID).key(s);
        BoundField number = f(ShopField.ORDER_NO);
        r.orderNo = number == null ? null : number.text(s);
        r.userId = f(ShopField.ORDER_USER_ID).key(s);
        r.status = f(ShopField.ORDER_STATUS).enumValue(s);
        r.totalAmountCents = f(ShopField.ORDER_TOTAL_AMOUNT).money(s);
        BoundField hash = f(ShopField.ORDER_SUBMIT_HASH);
        r.submitHash = hash == null ? null : hash.isComputed() ? hash.sha256(s, digest) : hash.text(s);
        BoundField ip = f(ShopField.ORDER_CLIENT_IP);
        r.clientIp = ip == null ? null : ip.text(s);
        r.createdAtMs = f(ShopField.ORDER_CREATED_AT).time(s);
        BoundField updated = f(ShopField.ORDER_UPDATED_AT);
        r.updatedAtMs = updated == null ? r.createdAtMs : updated.time(s);
        if (extras.length > 0) {
            r.extra = new ExtraColumn[extras.length];
            for (int i = 0; i < extras.length; i++) {
                String v = extraIsDate[i] ? timeOrNull(extras[i], s) : extras[i].text(s);
                r.extra[i] = new ExtraColumn(extraNames[i], v);
            }
        }
        return r;
    }

    private static String timeOrNull(BoundField f, Struct s) {
        long ms = f.time(s);
        return ms == 0 ? null : Long.toString(ms);
    }

    public OrderItemRow item(Struct s) {
        OrderItemRow r = new OrderItemRow();
        r.itemId = f(ShopField.ITEM_ID).key(s);
        BoundField byNumber = f(ShopField.ITEM_ORDER_NO);
        if (byNumber != null) {
            r.orderNo = orderNumber(byNumber, s); // the order's id follows from its row (OrderReferences)
        } else {
            r.orderId = f(ShopField.ITEM_ORDER_ID).key(s);
        }
        r.skuId = f(ShopField.ITEM_SKU_ID).key(s);
        r.quantity = f(ShopField.ITEM_QUANTITY).integer(s);
        r.unitPriceCents = f(ShopField.ITEM_UNIT_PRICE).money(s);
        return r;
    }

    public PaymentRow payment(Struct s) {
        PaymentRow r = new PaymentRow();
        r.paymentId = f(ShopField.PAYMENT_ID).text(s);
        if (r.paymentId == null || r.paymentId.isEmpty()) {
            throw new IllegalArgumentException(physicalTable + " payment id is empty");
        }
        BoundField byNumber = f(ShopField.PAYMENT_ORDER_NO);
        if (byNumber != null) {
            r.orderNo = orderNumber(byNumber, s); // the order's id follows from its row (OrderReferences)
        } else {
            r.orderId = f(ShopField.PAYMENT_ORDER_ID).key(s);
        }
        r.channel = f(ShopField.PAYMENT_CHANNEL).enumValue(s);
        r.amountCents = f(ShopField.PAYMENT_AMOUNT).money(s);
        r.status = f(ShopField.PAYMENT_STATUS).enumValue(s);
        BoundField txn = f(ShopField.PAYMENT_CHANNEL_TXN_ID);
        r.channelTxnId = txn == null ? null : txn.text(s);
        r.createdAtMs = f(ShopField.PAYMENT_CREATED_AT).time(s);
        r.updatedAtMs = f(ShopField.PAYMENT_UPDATED_AT).time(s);
        return r;
    }

    public RefundRow refund(Struct s) {
        RefundRow r = new RefundRow();
        r.refundId = f(ShopField.REFUND_ID).text(s);
        if (r.refundId == null || r.refundId.isEmpty()) {
            throw new IllegalArgumentException(physicalTable + " refund id is empty");
        }
        r.paymentId = f(ShopField.REFUND_PAYMENT_ID).text(s);
        if (r.paymentId == null || r.paymentId.isEmpty()) {
            throw new IllegalArgumentException(physicalTable + " payment id of refund " + r.refundId + " is empty");
        }
        BoundField order = f(ShopField.REFUND_ORDER_ID);
        r.orderId = order == null ? 0L : order.key(s);
        r.channel = f(ShopField.REFUND_CHANNEL).enumValue(s);
        r.amountCents = f(ShopField.REFUND_AMOUNT).money(s);
        r.status = f(ShopField.REFUND_STATUS).enumValue(s);
        BoundField channelRefundId = f(ShopField.REFUND_CHANNEL_REFUND_ID);
        r.channelRefundId = channelRefundId == null ? null : channelRefundId.text(s);
        r.createdAtMs = f(ShopField.REFUND_CREATED_AT).time(s);
        r.updatedAtMs = f(ShopField.REFUND_UPDATED_AT).time(s);
        return r;
    }

    private String orderNumber(BoundField field, Struct s) {
        String n = field.text(s);
        if (n == null || n.isEmpty()) {
            throw new IllegalArgumentException(physicalTable + " order number is empty");
        }
        return n;
    }

    public InventoryRow inventory(Struct s) {
        InventoryRow r = new InventoryRow();
        r.skuId = f(ShopField.SKU_ID).key(s);
        BoundField name = f(ShopField.SKU_NAME);
        r.name = name == null ? null : name.text(s);
        r.stock = f(ShopField.SKU_STOCK).integer(s);
        String mode = deductModePerSku.isEmpty() ? null : deductModePerSku.get(r.skuId);
        r.deductMode = mode != null
                ? io.paystream.state.shop.DeductMode.valueOf(mode)
                : f(ShopField.SKU_DEDUCT_MODE).enumValue(s);
        String limit = limitPerSku.isEmpty() ? null : limitPerSku.get(r.skuId);
        BoundField limitField = f(ShopField.SKU_PER_USER_LIMIT);
        r.perUserLimit =
                limit != null ? Integer.valueOf(limit) : limitField == null ? null : limitField.optionalInteger(s);
        BoundField updated = f(ShopField.SKU_UPDATED_AT);
        r.updatedAtMs = updated == null ? 0L : updated.time(s);
        return r;
    }
}
