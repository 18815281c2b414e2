package io.paystream.channels;

import com.sun.net.httpserver.HttpExchange;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UnionPay ACP 5.1.0 transaction status query ({@code POST /gateway/api/queryTrans.do}): a form
 * with {@code version=5.1.0, encoding, signMethod=01, certId, txnType=00, txnSubType=00,
 * bizType=000000, accessType=0, merId, orderId, txnTime, signature}, the signature being
 * SHA256-with-RSA over the hex SHA-256 of the sorted {@code k=v} string by the merchant's key named
 * by {@code certId}. Answers a form signed the same way with UnionPay's key: {@code respCode=00}
 * and the original transaction's {@code origRespCode} (00 success; 03, 04, 05 in process; others
 * failed), {@code queryId}, {@code txnAmt} (fen), {@code txnTime}; {@code respCode=34} for an
 * unknown order; HTTP 500 for a system error and 503 when rate limited (UnionPay has no rate-limit
 * code of its own).
 *
 * <p>Refunds: a refund (退货, txnType 04) is a transaction of its own, queried by its own {@code
 * orderId} (the refund id) in the same request; an orderId the refund truth knows is answered as
 * that refund ({@code origRespCode} 00 success, 05 in process, 01 failed; {@code queryId} the
 * refund's, {@code origQryId} the payment's, {@code txnAmt} the refund's in fen).
 */
public final class UnionPayQueryServer extends ChannelQueryServer {
    public static final String PATH = "/gateway/api/queryTrans.do";
    private static final DateTimeFormatter TXN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(WechatPayChannel.BEIJING);
    private static final Map<String, String> FORM =
            Map.of("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");

    private final UnionPayChannel channel;
    private final PublicKey merchantKey;
    private final String merchantCertId;

    public UnionPayQueryServer(UnionPayChannel channel, MerchantKeys merchant) {
        super(PATH);
        this.channel = channel;
        this.merchantKey = merchant.unionpayKey().getPublic();
        this.merchantCertId = merchant.unionpayCertId();
    }

    @Override
    protected Query readQuery(HttpExchange exchange, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        AlipayQueryServer.parseForm(body, p);
        if (!"5.1.0".equals(p.get("version")) || !"01".equals(p.get("signMethod")) || !"00".equals(p.get("txnType"))) {
            return new Query(null, "not a 5.1.0 signMethod=01 query (txnType 00)");
        }
        if (!channel.merId().equals(p.get("merId")) || !merchantCertId.equals(p.get("certId"))) {
            return new Query(null, "merId or certId is not the merchant's");
        }
        String content = Signatures.sortedContent(p, "signature");
        if (!Signatures.verifySha256WithRsa(
                merchantKey, Signatures.sha256Hex(content), p.getOrDefault("signature", ""))) {
            return new Query(null, "signature does not verify");
        }
        String orderId = p.getOrDefault("orderId", "");
        if (orderId.isEmpty()) {
            return new Query(null, "no orderId");
        }
        return new Query(orderId, null, knowsRefund(orderId));
    }

    @Override
    protected Answer refundAnswer(String refundId, RefundFacts facts, QueryFault fault) {
        switch (fault) {
            case SERVER_ERROR:
                return new Answer(500, Map.of(), "");
            case RATE_LIMITED:
                return new Answer(503, Map.of(), "");
            default:
                break;
        }
        Map<String, String> p = common(refundId);
        if (facts == null) {
            p.put("respCode", "34");
            p.put("respMsg", "查无此交易");
        } else {
            p.put("respCode", "00");
            p.put("respMsg", "成功[0000000]");
            String orig = switch (facts.status()) {
                case "SUCCESS" -> "00";
                case "PROCESSING" -> "05";
                default -> "01";
            };
            p.put("origRespCode", orig);
            p.put("origRespMsg", facts.status());
            p.put("queryId", facts.channelRefundId());
            p.put("origQryId", facts.paymentTxnId());
            p.put("txnAmt", String.valueOf(facts.amountCents()));
            p.put("currencyCode", "156");
            if (facts.refundedAt() != null) {
                p.put("txnTime", TXN_TIME.format(facts.refundedAt()));
            }
        }
        if (fault == QueryFault.MALFORMED) {
            return new Answer(200, FORM, "<html>gateway maintenance</html>");
        }
        return signed(p, fault == QueryFault.BAD_SIGNATURE);
    }

    @Override
    protected Answer answer(String paymentId, PaymentFacts facts, QueryFault fault) {
        switch (fault) {
            case SERVER_ERROR:
                return new Answer(500, Map.of(), "");
            case RATE_LIMITED:
                return new Answer(503, Map.of(), "");
            default:
                break;
        }
        Map<String, String> p = common(paymentId);
        // UnionPay knows a transaction only once the user submitted one: a payment closed by the
        // shop that the user never paid (no transaction id) is "no such transaction", not a failure
        // (found by the fault soak: "01" made paystream publish FAILED for an abandoned payment).
        if (facts == null || (facts.channelTxnId() == null && "CLOSED".equals(facts.outcome()))) {
            p.put("respCode", "34");
            p.put("respMsg", "查无此交易");
        } else {
            p.put("respCode", "00");
            p.put("respMsg", "成功[0000000]");
            p.put("origRespCode", origRespCode(facts.outcome()));
            p.put("origRespMsg", facts.outcome());
            if (facts.channelTxnId() != null) {
                p.put("queryId", facts.channelTxnId());
            }
            p.put("txnAmt", String.valueOf(facts.amountCents()));
            p.put("currencyCode", "156");
            if (facts.paidAt() != null) {
                p.put("txnTime", TXN_TIME.format(facts.paidAt()));
            }
            p.put("settleAmt", String.valueOf(facts.amountCents()));
        }
        if (fault == QueryFault.MALFORMED) {
            return new Answer(200, FORM, "<html>gateway maintenance</html>");
        }
        return signed(p, fault == QueryFault.BAD_SIGNATURE);
    }

    @Override
    protected Answer badRequest(String why) {
        Map<String, String> p = common("");
        p.put("respCode", "11");
        p.put("respMsg", "验证签名失败: " + why);
        return signed(p, false);
    }

    static String origRespCode(String outcome) {
        switch (outcome) {
            case "SUCCESS":
                return "00";
            case "NOTPAY":
            case "USERPAYING":
                return "05";
            case "CLOSED":
            case "FAILED":
                return "01"; // UnionPay has no "closed": a transaction that did not go through failed
            default:
                throw new IllegalArgumentException("no UnionPay origRespCode for " + outcome);
        }
    }

    private Map<String, String> common(String orderId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("version", "5.1.0");
        p.put("encoding", "UTF-8");
        p.put("signMethod", "01");
        p.put("certId", channel.certId());
        p.put("txnType", "00");
        p.put("txnSubType", "00");
        p.put("bizType", "000000");
        p.put("accessType", "0");
        p.put("merId", channel.merId());
        if (!orderId.isEmpty()) {
            p.put("orderId", orderId);
        }
        return p;
    }

    private Answer signed(Map<String, String> p, boolean foreign) {
        PrivateKey key = foreign ? foreignKey.getPrivate() : channel.signKey().getPrivate();
        p.put(
                "signature",
                Signatures.sha256WithRsa(key, Signatures.sha256Hex(Signatures.sortedContent(p, "signature"))));
        return new Answer(200, FORM, AlipayChannel.form(p));
    }
}
