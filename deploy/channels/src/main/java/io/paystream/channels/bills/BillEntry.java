package io.paystream.channels.bills;

import io.paystream.state.reconcile.BillLineKind;
import java.time.Instant;
import java.util.Objects;

/**
 * One line a simulated channel writes on its daily trade bill: a payment it charged or a refund it
 * accepted, as the channel decided it.
 *
 * @param kind            PAYMENT or REFUND
 * @param paymentId       the shop's payment id ({@code out_trade_no}); on a refund, the payment refunded
 * @param refundId        the shop's refund id ({@code out_refund_no}, Alipay's {@code out_request_no}); null on a payment
 * @param channelTxnId    the channel's transaction id of the payment (on a refund too: the refunded payment's)
 * @param channelRefundId the channel's refund id (WeChat Pay 微信退款单号); null on a payment, unused by Alipay
 * @param amountFen       the payment's order amount or the refund's amount, whole fen, at least 1
 * @param status          a payment: SUCCESS or REVOKED; a refund: SUCCESS, PROCESSING, CLOSED, ABNORMAL
 *                        (WeChat Pay's words; Alipay's bill carries completed ones only)
 * @param tradeTime       when the payment was paid, or the refund accepted
 */
public record BillEntry(
        BillLineKind kind,
        String paymentId,
        String refundId,
        String channelTxnId,
        String channelRefundId,
        long amountFen,
        String status,
        Instant tradeTime) {

    public BillEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(tradeTime, "tradeTime");
        plain(paymentId, "paymentId", true);
        plain(channelTxnId, "channelTxnId", true);
        plain(refundId, "refundId", kind == BillLineKind.REFUND);
        plain(channelRefundId, "channelRefundId", false);
        if (kind == BillLineKind.PAYMENT && refundId != null) {
            throw new IllegalArgumentException("a payment line has no refund id: " + refundId);
        }
        if (amountFen < 1) {
            throw new IllegalArgumentException("amount must be at least one fen: " + amountFen);
        }
    }

    /** A payment the channel charged ({@code SUCCESS}) or charged and revoked ({@code REVOKED}). */
    public static BillEntry payment(
            String paymentId, String channelTxnId, long amountFen, String status, Instant paidAt) {
        return new BillEntry(BillLineKind.PAYMENT, paymentId, null, channelTxnId, null, amountFen, status, paidAt);
    }

    /** A refund the channel accepted, with its status when accepted. */
    public static BillEntry refund(
            String refundId,
            String paymentId,
            String paymentTxnId,
            String channelRefundId,
            long amountFen,
            String status,
            Instant acceptedAt) {
        return new BillEntry(
                BillLineKind.REFUND, paymentId, refundId, paymentTxnId, channelRefundId, amountFen, status, acceptedAt);
    }

    public BillEntry withAmount(long fen) {
        return new BillEntry(kind, paymentId, refundId, channelTxnId, channelRefundId, fen, status, tradeTime);
    }

    public BillEntry withStatus(String newStatus) {
        return new BillEntry(kind, paymentId, refundId, channelTxnId, channelRefundId, amountFen, newStatus, tradeTime);
    }

    /** The shop's id this line is about: the refund id on a refund, else the payment id. */
    public String shopId() {
        return kind == BillLineKind.REFUND ? refundId : paymentId;
    }

    /**
     * Ids go into comma-separated lines unquoted (as the channels write them): a comma, a quote, a
     * line break or a backtick in one would break the line, so they are refused here.
     */
    private static void plain(String value, String name, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("no " + name);
            }
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '`' || c == '\n' || c == '\r' || c == '\t' || c == ' ') {
                throw new IllegalArgumentException(name + " '" + value + "' has a character a bill cannot carry");
            }
        }
    }
}
