package io.paystream.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alipay OpenAPI {@code alipay.trade.query} on the gateway ({@code POST /gateway.do}): the common
 * parameters ({@code app_id, method, format, charset, sign_type=RSA2, timestamp, version,
 * biz_content}) in the query string or the form body, {@code sign} being SHA256-with-RSA by the
 * merchant's application key over the sorted {@code k=v} pairs without {@code sign}. Answers
 * {@code {"alipay_trade_query_response":{...},"sign":"..."}}, the sign covering the response
 * object's text exactly as sent, with Alipay's key. Codes: 10000 (with {@code trade_status}
 * WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED), 40004 ACQ.TRADE_NOT_EXIST,
 * 20000 aop.ACQ.SYSTEM_ERROR, 40004 with a limit sub_code when rate limited, 40002
 * isv.invalid-signature.
 *
 * <p>Refunds: {@code alipay.trade.fastpay.refund.query} with {@code biz_content} {@code
 * out_trade_no} and {@code out_request_no} (the refund id), answered as {@code
 * alipay_trade_fastpay_refund_query_response}: a successful refund with {@code
 * refund_status=REFUND_SUCCESS}, {@code refund_amount}, {@code total_amount} and, when {@code
 * query_options} asks for it, {@code gmt_refund_pay}; a refund not (yet) successful or unknown is
 * code 10000 without refund data (Alipay's published meaning: not refunded).
 */
public final class AlipayQueryServer extends ChannelQueryServer {
    public static final String PATH = "/gateway.do";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(WechatPayChannel.BEIJING);

    private final AlipayChannel channel;
    private final PublicKey appKey;

    public AlipayQueryServer(AlipayChannel channel, MerchantKeys merchant) {
        super(PATH);
        this.channel = channel;
        this.appKey = merchant.alipayAppKey().getPublic();
    }

    @Override
    protected Query readQuery(HttpExchange exchange, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), p);
        parseForm(body, p);
        if (!channel.appId().equals(p.get("app_id"))) {
            return new Query(null, "app_id " + p.get("app_id") + " is not an application of ours");
        }
        boolean refund = "alipay.trade.fastpay.refund.query".equals(p.get("method"));
        if (!refund && !"alipay.trade.query".equals(p.get("method")) || !"RSA2".equals(p.get("sign_type"))) {
            return new Query(
                    null, "method must be alipay.trade.query or alipay.trade.fastpay.refund.query with sign_type RSA2");
        }
        String content = Signatures.sortedContent(p, "sign");
        if (!Signatures.verifySha256WithRsa(appKey, content, p.getOrDefault("sign", ""))) {
            return new Query(null, "sign does not verify");
        }
        try {
            JsonNode biz = JSON.readTree(p.getOrDefault("biz_content", "{}"));
            if (refund) {
                String refundId = biz.path("out_request_no").asText("");
                if (refundId.isEmpty() || biz.path("out_trade_no").asText("").isEmpty()) {
                    return new Query(null, "biz_content needs out_trade_no and out_request_no");
                }
                RefundQuery q = new RefundQuery(
                        biz.path("out_trade_no").asText(),
                        biz.path("query_options").toString().contains("gmt_refund_pay"));
                refundQueries.put(refundId, q);
                return new Query(refundId, null, true);
            }
            String id = biz.path("out_trade_no").asText("");
            if (id.isEmpty()) {
                return new Query(null, "biz_content has no out_trade_no");
            }
            return new Query(id, null);
        } catch (JsonProcessingException e) {
            return new Query(null, "biz_content is not JSON");
        }
    }

    @Override
    protected Answer answer(String paymentId, PaymentFacts facts, QueryFault fault) {
        ObjectNode r = JSON.createObjectNode();
        switch (fault) {
            case SERVER_ERROR:
                return signed(error("20000", "Service Currently Unavailable", "aop.ACQ.SYSTEM_ERROR", "系统繁忙"), false);
            case RATE_LIMITED:
                return signed(error("40004", "Business Failed", "isv.app-call-limited", "调用频率超限"), false);
            default:
                break;
        }
        if (facts == null) {
            return signed(error("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在"), false);
        }
        r.put("code", "10000");
        r.put("msg", "Success");
        if (facts.channelTxnId() != null) {
            r.put("trade_no", facts.channelTxnId());
        }
        r.put("out_trade_no", facts.paymentId());
        r.put("buyer_logon_id", "159****5620");
        r.put("trade_status", tradeStatus(facts.outcome()));
        r.put("total_amount", facts.amountYuan());
        r.put("buyer_pay_amount", "SUCCESS".equals(facts.outcome()) ? facts.amountYuan() : "0.00");
        if (facts.paidAt() != null && "SUCCESS".equals(facts.outcome())) {
            r.put("send_pay_date", TIME.format(facts.paidAt()));
        }
        r.put("buyer_user_id", "2088101117955611");
        String content = write(r);
        if (fault == QueryFault.MALFORMED) {
            content = content.substring(0, content.length() / 2);
        }
        return signed(content, fault == QueryFault.BAD_SIGNATURE);
    }

    /** What a refund query asked besides its refund id. */
    private record RefundQuery(String outTradeNo, boolean gmtRefundPay) {}

    private final Map<String, RefundQuery> refundQueries = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected Answer refundAnswer(String refundId, RefundFacts facts, QueryFault fault) {
        switch (fault) {
            case SERVER_ERROR:
                return signedAs(
                        REFUND_RESPONSE,
                        error("20000", "Service Currently Unavailable", "aop.ACQ.SYSTEM_ERROR", "系统繁忙"),
                        false);
            case RATE_LIMITED:
                return signedAs(
                        REFUND_RESPONSE, error("40004", "Business Failed", "isv.app-call-limited", "调用频率超限"), false);
            default:
                break;
        }
        RefundQuery q = refundQueries.getOrDefault(refundId, new RefundQuery("", false));
        ObjectNode r = JSON.createObjectNode();
        r.put("code", "10000");
        r.put("msg", "Success");
        if (facts != null && facts.paymentId().equals(q.outTradeNo()) && "SUCCESS".equals(facts.status())) {
            r.put("trade_no", facts.paymentTxnId());
            r.put("out_trade_no", facts.paymentId());
            r.put("out_request_no", facts.refundId());
            r.put("total_amount", RefundFacts.yuan(facts.totalCents()));
            r.put("refund_amount", RefundFacts.yuan(facts.amountCents()));
            r.put("refund_status", "REFUND_SUCCESS");
            if (q.gmtRefundPay() && facts.refundedAt() != null) {
                r.put("gmt_refund_pay", TIME.format(facts.refundedAt()));
            }
        }
        String content = write(r);
        if (fault == QueryFault.MALFORMED) {
            content = content.substring(0, content.length() / 2);
        }
        return signedAs(REFUND_RESPONSE, content, fault == QueryFault.BAD_SIGNATURE);
    }

    private static final String REFUND_RESPONSE = "alipay_trade_fastpay_refund_query_response";

    @Override
    protected Answer badRequest(String why) {
        return signed(error("40002", "Invalid Arguments", "isv.invalid-signature", why), false);
    }

    static String tradeStatus(String outcome) {
        switch (outcome) {
            case "SUCCESS":
                return "TRADE_SUCCESS";
            case "CLOSED":
            case "FAILED":
                return "TRADE_CLOSED";
            case "NOTPAY":
            case "USERPAYING":
                return "WAIT_BUYER_PAY";
            default:
                throw new IllegalArgumentException("no Alipay trade_status for " + outcome);
        }
    }

    private Answer signed(String responseContent, boolean foreign) {
        return signedAs("alipay_trade_query_response", responseContent, foreign);
    }

    private Answer signedAs(String responseName, String responseContent, boolean foreign) {
        PrivateKey key = foreign ? foreignKey.getPrivate() : channel.alipayKey().getPrivate();
        String sign = Signatures.sha256WithRsa(key, responseContent);
        String body = "{\"" + responseName + "\":" + responseContent + ",\"sign\":\"" + sign + "\"}";
        return new Answer(200, Map.of("Content-Type", "text/html;charset=utf-8"), body);
    }

    private static String error(String code, String msg, String subCode, String subMsg) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("msg", msg);
        e.put("sub_code", subCode);
        e.put("sub_msg", subMsg);
        return write(e);
    }

    static void parseForm(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
