package io.paystream.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat Pay API v3 "query order by out_trade_no":
 * {@code GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=...} with the header
 * {@code Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."},
 * the signature being SHA256-with-RSA by the merchant's API key over
 * {@code METHOD\nURL\ntimestamp\nnonce\nbody\n}. Answers the transaction JSON ({@code trade_state}
 * SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR), or an error
 * {@code {"code","message"}} (404 ORDER_NOT_EXIST, 429 FREQUENCY_LIMITED, 500 SYSTEM_ERROR,
 * 401 SIGN_ERROR), every answer signed with the platform key ({@code Wechatpay-*} headers over
 * {@code timestamp\nnonce\nbody\n}).
 *
 * <p>Refunds: 查询单笔退款 {@code GET /v3/refund/domestic/refunds/{out_refund_no}} (no query string for
 * a direct merchant), signed the same way; answers the refund JSON ({@code refund_id, out_refund_no,
 * transaction_id, out_trade_no, status} SUCCESS, CLOSED, PROCESSING, ABNORMAL, {@code success_time},
 * {@code amount.refund/total} in fen), or 404 RESOURCE_NOT_EXISTS.
 */
public final class WechatPayQueryServer extends ChannelQueryServer {
    public static final String PATH = "/v3/pay/transactions/out-trade-no/";
    public static final String REFUND_PATH = "/v3/refund/domestic/refunds/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final WechatPayChannel channel;
    private final PublicKey merchantKey;
    private final String merchantSerial;
    private final SecureRandom random = new SecureRandom();

    public WechatPayQueryServer(WechatPayChannel channel, MerchantKeys merchant) {
        super(PATH, REFUND_PATH);
        this.channel = channel;
        this.merchantKey = merchant.wechatKey().getPublic();
        this.merchantSerial = merchant.wechatSerial();
    }

    @Override
    protected Query readQuery(HttpExchange exchange, String body) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return new Query(null, "method " + exchange.getRequestMethod() + " not allowed");
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        boolean refund = rawPath.startsWith(REFUND_PATH);
        String paymentId = java.net.URLDecoder.decode(
                rawPath.substring((refund ? REFUND_PATH : PATH).length()), java.nio.charset.StandardCharsets.UTF_8);
        if (refund && rawQuery != null) {
            return new Query(null, "a direct merchant's refund query has no query string: " + rawQuery);
        }
        if (!refund && (rawQuery == null || !rawQuery.equals("mchid=" + channel.mchId()))) {
            return new Query(null, "mchid missing or not ours: " + rawQuery);
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (auth == null || !auth.startsWith(scheme)) {
            return new Query(null, "no WECHATPAY2-SHA256-RSA2048 Authorization");
        }
        Map<String, String> a = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(auth.substring(scheme.length()));
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        if (!channel.mchId().equals(a.get("mchid")) || !merchantSerial.equals(a.get("serial_no"))) {
            return new Query(null, "Authorization names another merchant or certificate serial");
        }
        long ts = Long.parseLong(a.getOrDefault("timestamp", "0"));
        if (Math.abs(System.currentTimeMillis() / 1000 - ts) > 300) {
            return new Query(null, "Authorization timestamp out of the 5-minute window");
        }
        String message = "GET\n" + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + "\n" + ts + "\n"
                + a.get("nonce_str") + "\n" + body + "\n";
        if (!Signatures.verifySha256WithRsa(merchantKey, message, a.getOrDefault("signature", ""))) {
            return new Query(null, "Authorization signature does not verify");
        }
        return new Query(paymentId, null, refund);
    }

    @Override
    protected Answer refundAnswer(String refundId, RefundFacts facts, QueryFault fault) {
        switch (fault) {
            case SERVER_ERROR:
                return signed(500, error("SYSTEM_ERROR", "系统错误"), false);
            case RATE_LIMITED:
                return signed(429, error("FREQUENCY_LIMITED", "频率超限"), false);
            default:
                break;
        }
        if (facts == null) {
            return signed(404, error("RESOURCE_NOT_EXISTS", "退款单不存在"), false);
        }
        ObjectNode t = JSON.createObjectNode();
        t.put("refund_id", facts.channelRefundId());
        t.put("out_refund_no", facts.refundId());
        t.put("transaction_id", facts.paymentTxnId());
        t.put("out_trade_no", facts.paymentId());
        t.put("channel", "ORIGINAL");
        t.put("user_received_account", "招商银行信用卡0403");
        if (facts.refundedAt() != null && "SUCCESS".equals(facts.status())) {
            t.put(
                    "success_time",
                    RFC3339.format(OffsetDateTime.ofInstant(facts.refundedAt(), WechatPayChannel.BEIJING)));
        }
        t.put(
                "create_time",
                RFC3339.format(OffsetDateTime.now(WechatPayChannel.BEIJING).withNano(0)));
        t.put("status", facts.status());
        t.put("funds_account", "AVAILABLE");
        ObjectNode amount = t.putObject("amount");
        amount.put("total", facts.totalCents());
        amount.put("refund", facts.amountCents());
        amount.put("payer_total", facts.totalCents());
        amount.put("payer_refund", facts.amountCents());
        amount.put("settlement_refund", facts.amountCents());
        amount.put("settlement_total", facts.totalCents());
        amount.put("discount_refund", 0);
        amount.put("currency", "CNY");
        amount.put("refund_fee", 0);
        String body = write(t);
        if (fault == QueryFault.MALFORMED) {
            body = body.substring(0, body.length() / 2);
        }
        return signed(200, body, fault == QueryFault.BAD_SIGNATURE);
    }

    @Override
    protected Answer answer(String paymentId, PaymentFacts facts, QueryFault fault) {
        switch (fault) {
            case SERVER_ERROR:
                return signed(500, error("SYSTEM_ERROR", "系统错误"), false);
            case RATE_LIMITED:
                return signed(429, error("FREQUENCY_LIMITED", "频率超限"), false);
            default:
                break;
        }
        if (facts == null) {
            return signed(404, error("ORDER_NOT_EXIST", "订单不存在"), false);
        }
        ObjectNode t = JSON.createObjectNode();
        t.put("appid", channel.appId());
        t.put("mchid", channel.mchId());
        t.put("out_trade_no", facts.paymentId());
        if (facts.channelTxnId() != null) {
            t.put("transaction_id", facts.channelTxnId());
        }
        t.put("trade_type", "NATIVE");
        t.put("trade_state", tradeState(facts.outcome()));
        t.put("trade_state_desc", facts.outcome());
        t.put("bank_type", "OTHERS");
        t.put("attach", "");
        if (facts.paidAt() != null && "SUCCESS".equals(facts.outcome())) {
            t.put("success_time", RFC3339.format(OffsetDateTime.ofInstant(facts.paidAt(), WechatPayChannel.BEIJING)));
        }
        t.putObject("payer").put("openid", "o" + facts.paymentId().hashCode());
        ObjectNode amount = t.putObject("amount");
        amount.put("total", facts.amountCents());
        amount.put("payer_total", facts.amountCents());
        amount.put("currency", "CNY");
        amount.put("payer_currency", "CNY");
        String body = write(t);
        if (fault == QueryFault.MALFORMED) {
            body = body.substring(0, body.length() / 2);
        }
        return signed(200, body, fault == QueryFault.BAD_SIGNATURE);
    }

    @Override
    protected Answer badRequest(String why) {
        return signed(401, error("SIGN_ERROR", why), false);
    }

    static String tradeState(String outcome) {
        switch (outcome) {
            case "FAILED":
                return "PAYERROR";
            case "SUCCESS":
            case "CLOSED":
            case "NOTPAY":
            case "USERPAYING":
                return outcome;
            default:
                throw new IllegalArgumentException("no WeChat Pay trade_state for " + outcome);
        }
    }

    private Answer signed(int status, String body, boolean foreign) {
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        String nonce = Signatures.randomAlnum(random, 32);
        PrivateKey key =
                foreign ? foreignKey.getPrivate() : channel.platformKey().getPrivate();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; charset=utf-8");
        h.put("Request-ID", Signatures.randomAlnum(random, 24));
        h.put("Wechatpay-Timestamp", timestamp);
        h.put("Wechatpay-Nonce", nonce);
        h.put("Wechatpay-Serial", channel.serial());
        h.put("Wechatpay-Signature", Signatures.sha256WithRsa(key, timestamp + "\n" + nonce + "\n" + body + "\n"));
        h.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        return new Answer(status, h, body);
    }

    private static String error(String code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        return write(e);
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
