package io.paystream.functions.search;

import io.paystream.state.contract.Money;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentState;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.shop.RefundRow;
import io.paystream.state.shop.RefundRowStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An order's document from its rows as {@link OrderDocuments} keeps them: the order's fields, its
 * items (by item id), its payments (by payment id) and its refunds (by refund id) with the totals
 * and the payment status they add up to.
 */
final class OrderDocumentBuilder {
    private OrderDocumentBuilder() {}

    static OrderDocument of(
            long orderId,
            OrderDocumentState s,
            Iterable<OrderItemRow> items,
            Iterable<PaymentRow> payments,
            Iterable<RefundRow> refunds) {
        OrderRow o = s.order;
        OrderDocument d = new OrderDocument();
        d.orderId = orderId;
        d.userId = o.userId;
        d.status = o.status.name();
        d.totalAmount = Money.yuan(o.totalAmountCents);
        d.submitHash = o.submitHash;
        d.clientIp = o.clientIp;
        d.orderNo = o.orderNo;
        d.extra = o.extra;
        d.createdAt = o.createdAtMs;
        d.updatedAt = o.updatedAtMs;
        d.lastChangeAt = s.lastChangeAt;
        addItems(d, sorted(items, Comparator.comparingLong(r -> r.itemId)));
        addPayments(d, sorted(payments, Comparator.comparing(r -> r.paymentId)));
        addRefunds(d, sorted(refunds, Comparator.comparing(r -> r.refundId)));
        return d;
    }

    private static void addRefunds(OrderDocument d, List<RefundRow> rows) {
        d.refunds = new OrderDocument.Refund[rows.size()];
        long refundedCents = 0;
        for (int i = 0; i < d.refunds.length; i++) {
            RefundRow r = rows.get(i);
            OrderDocument.Refund f = new OrderDocument.Refund();
            f.refundId = r.refundId;
            f.paymentId = r.paymentId;
            f.channel = r.channel.name();
            f.amount = Money.yuan(r.amountCents);
            f.status = r.status.name();
            f.channelRefundId = r.channelRefundId;
            f.createdAt = r.createdAtMs;
            f.updatedAt = r.updatedAtMs;
            d.refunds[i] = f;
            if (r.status == RefundRowStatus.SUCCESS) {
                refundedCents += r.amountCents;
            }
        }
        d.refundedAmount = Money.yuan(refundedCents);
    }

    private static void addItems(OrderDocument d, List<OrderItemRow> rows) {
        d.items = new OrderDocument.Item[rows.size()];
        long quantity = 0;
        for (int i = 0; i < d.items.length; i++) {
            OrderItemRow r = rows.get(i);
            OrderDocument.Item it = new OrderDocument.Item();
            it.itemId = r.itemId;
            it.skuId = r.skuId;
            it.quantity = r.quantity;
            it.unitPrice = Money.yuan(r.unitPriceCents);
            it.amount = Money.yuan(Math.multiplyExact(r.unitPriceCents, (long) r.quantity));
            d.items[i] = it;
            quantity += r.quantity;
        }
        d.itemCount = d.items.length;
        d.totalQuantity = quantity;
    }

    private static void addPayments(OrderDocument d, List<PaymentRow> rows) {
        d.payments = new OrderDocument.Payment[rows.size()];
        long paidCents = 0;
        Long paidAt = null;
        boolean paying = false;
        boolean pending = false;
        for (int i = 0; i < d.payments.length; i++) {
            PaymentRow r = rows.get(i);
            d.payments[i] = payment(r);
            if (r.status == PaymentStatus.SUCCESS) {
                paidCents += r.amountCents;
                paidAt = paidAt == null ? r.updatedAtMs : Math.min(paidAt, r.updatedAtMs);
            }
            paying |= r.status == PaymentStatus.PAYING;
            pending |= r.status == PaymentStatus.CREATED;
        }
        d.paidAmount = Money.yuan(paidCents);
        d.paidAt = paidAt;
        d.paymentStatus = paidAt != null
                ? OrderDocument.PAYMENT_PAID
                : paying
                        ? OrderDocument.PAYMENT_PAYING
                        : pending
                                ? OrderDocument.PAYMENT_PENDING
                                : d.payments.length > 0 ? OrderDocument.PAYMENT_FAILED : OrderDocument.PAYMENT_NONE;
    }

    private static OrderDocument.Payment payment(PaymentRow r) {
        OrderDocument.Payment p = new OrderDocument.Payment();
        p.paymentId = r.paymentId;
        p.channel = r.channel.name();
        p.amount = Money.yuan(r.amountCents);
        p.status = r.status.name();
        p.channelTxnId = r.channelTxnId;
        p.createdAt = r.createdAtMs;
        p.updatedAt = r.updatedAtMs;
        return p;
    }

    private static <T> List<T> sorted(Iterable<T> rows, Comparator<T> by) {
        List<T> out = new ArrayList<>();
        rows.forEach(out::add);
        out.sort(by);
        return out;
    }
}
