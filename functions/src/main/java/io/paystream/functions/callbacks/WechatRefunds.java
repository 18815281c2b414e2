package io.paystream.functions.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
import java.time.OffsetDateTime;

/**
 * The decrypted {@code resource} of a WeChat Pay API v3 refund notification ({@code event_type}
 * {@code REFUND.SUCCESS}, {@code REFUND.ABNORMAL}, {@code REFUND.CLOSED}; {@code original_type}
 * {@code refund}), read into a refund notification. Format as published:
 * https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_11.shtml (refund result notification:
 * same signature headers, AEAD_AES_256_GCM resource under the APIv3 key) and the field list
 * (mchid, out_trade_no, transaction_id, out_refund_no, refund_id, refund_status, success_time,
 * amount.total/refund/payer_total/payer_refund in fen) at
 * https://developer.work.weixin.qq.com/document/path/97338.
 */
final class WechatRefunds {
    private WechatRefunds() {}

    /** A WeChat Pay event is a refund notification when its (signed) event_type says so. */
    static boolean isRefund(JsonNode body) {
        return body.path("event_type").asText("").startsWith("REFUND.");
    }

    static RefundNotification notification(JsonNode r, String notifyId, long receivedAt) {
        RefundNotification n = new RefundNotification();
        n.refundId = required(r, "out_refund_no");
        n.paymentId = required(r, "out_trade_no");
        n.channel = PaymentChannel.WECHAT;
        n.channelRefundId = r.path("refund_id").asText(null);
        n.paymentChannelTxnId = r.path("transaction_id").asText(null);
        JsonNode amount = r.path("amount");
        n.refundAmountCents = fen(amount, "refund");
        n.paymentTotalCents = fen(amount, "total");
        n.status = status(required(r, "refund_status"));
        String successTime = r.path("success_time").asText("");
        n.refundedAt = successTime.isEmpty()
                ? 0
                : OffsetDateTime.parse(successTime).toInstant().toEpochMilli();
        n.source = RefundNotification.CALLBACK;
        n.notifyId = notifyId;
        n.receivedAt = receivedAt;
        return n;
    }

    /** ABNORMAL (the original way back failed, e.g. a cancelled card) is FAILED: a person must act. */
    static RefundStatus status(String refundStatus) {
        switch (refundStatus) {
            case "SUCCESS":
                return RefundStatus.SUCCESS;
            case "ABNORMAL":
                return RefundStatus.FAILED;
            case "CLOSED":
                return RefundStatus.CLOSED;
            case "PROCESSING":
                return null; // not final (queries answer it; notifications do not)
            default:
                throw new IllegalArgumentException("unknown refund_status '" + refundStatus + "'");
        }
    }

    private static long fen(JsonNode amount, String field) {
        JsonNode v = amount.path(field);
        // Whole fen only: a float or a string here is not WeChat Pay's format.
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("refund has no amount." + field + " in fen");
        }
        return v.asLong();
    }

    private static String required(JsonNode r, String field) {
        String v = r.path(field).asText("");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("refund has no " + field);
        }
        return v;
    }
}
