package io.paystream.queryworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * Alipay {@code alipay.trade.query} on the OpenAPI gateway: a form POST of the common parameters
 * and {@code biz_content={"out_trade_no":...}}, signed RSA2 (SHA256-with-RSA over the sorted
 * {@code k=v} pairs without {@code sign}) with the application's key. The answer's {@code sign}
 * must verify with Alipay's public key over the {@code alipay_trade_query_response} text exactly as
 * received. trade_status: TRADE_SUCCESS and TRADE_FINISHED are SUCCESS, TRADE_CLOSED is CLOSED,
 * WAIT_BUYER_PAY is NOTPAY; ACQ.TRADE_NOT_EXIST is NOTPAY; code 20000, {@code *SYSTEM_ERROR} and
 * {@code isp.*} are retried, as are sub codes naming a limit (rate limited).
 *
 * <p>A refund command asks {@code alipay.trade.fastpay.refund.query} (the official SDK's {@code
 * AlipayTradeFastpayRefundQueryRequest}) with {@code out_trade_no} (the payment), {@code
 * out_request_no} (the refund id) and {@code query_options=["gmt_refund_pay"]}, signed and verified
 * the same way ({@code alipay_trade_fastpay_refund_query_response}). Alipay's published meaning:
 * code 10000 only says the query worked; {@code refund_status=REFUND_SUCCESS} is SUCCESS (amount
 * {@code refund_amount}, time {@code gmt_refund_pay}); no {@code refund_status} ("the refund request
 * was not received or the refund failed", possibly not processed yet) and ACQ.TRADE_NOT_EXIST are
 * PROCESSING: no outcome, the job's schedule goes on and ends in LOST_REFUND for a person.
 */
final class AlipayClient implements ChannelClient {
    static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String RESPONSE = "alipay_trade_query_response";
    private static final String REFUND_RESPONSE = "alipay_trade_fastpay_refund_query_response";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final String gateway;
    private final String appId;
    private final PrivateKey appKey;
    private final PublicKey alipayKey;

    AlipayClient(HttpClient http, ObjectMapper json, Duration timeout, WorkerSettings s) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.gateway = s.get(WorkerSettings.ALIPAY_GATEWAY);
        this.appId = s.get(WorkerSettings.ALIPAY_APP_ID);
        this.appKey = Keys.privateKey(s, WorkerSettings.ALIPAY_APP_KEY);
        this.alipayKey = Keys.publicKey(s, WorkerSettings.ALIPAY_PUBLIC_KEY);
    }

    @Override
    public String channel() {
        return "ALIPAY";
    }

    @Override
    public CompletableFuture<ChannelAnswer> query(RequeryCommand c) {
        if (c.isRefund()) {
            var biz = json.createObjectNode().put("out_trade_no", c.paymentId()).put("out_request_no", c.refundId());
            biz.putArray("query_options").add("gmt_refund_pay");
            return send("alipay.trade.fastpay.refund.query", biz.toString()).thenApply(r -> readRefund(c, r));
        }
        return send(
                        "alipay.trade.query",
                        json.createObjectNode()
                                .put("out_trade_no", c.paymentId())
                                .toString())
                .thenApply(r -> read(c, r));
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String bizContent) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app_id", appId);
        p.put("method", method);
        p.put("format", "JSON");
        p.put("charset", "utf-8");
        p.put("sign_type", "RSA2");
        p.put("timestamp", TIME.format(LocalDateTime.now(BEIJING)));
        p.put("version", "1.0");
        p.put("biz_content", bizContent);
        p.put("sign", Keys.sign(appKey, Keys.sortedContent(p, "sign")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                .header("User-Agent", "paystream-query-worker")
                .POST(HttpRequest.BodyPublishers.ofString(form(p), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private ChannelAnswer readRefund(RequeryCommand c, HttpResponse<String> r) {
        long now = System.currentTimeMillis();
        JsonNode t = signedResponse(r, REFUND_RESPONSE);
        if (!"10000".equals(t.path("code").asText(""))) {
            if ("ACQ.TRADE_NOT_EXIST".equals(t.path("sub_code").asText(""))) {
                return new ChannelAnswer("PROCESSING", null, null, null, now);
            }
            failed(t);
        }
        if (t.hasNonNull("out_request_no")
                        && !c.refundId().equals(t.get("out_request_no").asText())
                || t.hasNonNull("out_trade_no")
                        && !c.paymentId().equals(t.get("out_trade_no").asText())) {
            throw QueryException.unusable("Alipay answered about another refund: out_request_no="
                    + t.path("out_request_no").asText() + " out_trade_no="
                    + t.path("out_trade_no").asText());
        }
        String state = t.path("refund_status").asText("");
        if (state.isEmpty()) {
            return new ChannelAnswer("PROCESSING", null, null, null, now);
        }
        if (!"REFUND_SUCCESS".equals(state)) {
            throw QueryException.unusable("Alipay refund_status '" + state + "' is unknown");
        }
        long cents;
        try {
            cents = new BigDecimal(t.path("refund_amount").asText())
                    .movePointRight(2)
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw QueryException.unusable("Alipay refund_amount '"
                    + t.path("refund_amount").asText() + "' is not yuan with at most 2 places");
        }
        Long refundedAt = null;
        if (t.hasNonNull("gmt_refund_pay")) {
            refundedAt = LocalDateTime.parse(t.get("gmt_refund_pay").asText(), TIME)
                    .toInstant(BEIJING)
                    .toEpochMilli();
        }
        // Alipay gives a refund no id of its own: the answer names none.
        return new ChannelAnswer("SUCCESS", null, cents, refundedAt, now);
    }

    /** Throws on a code other than 10000: rate limited, a system error (both retried), or refused. */
    private static void failed(JsonNode t) {
        String code = t.path("code").asText("");
        String subCode = t.path("sub_code").asText("");
        String lower = subCode.toLowerCase(Locale.ROOT);
        if (lower.contains("limit")) {
            throw new QueryException(QueryException.Kind.RATE_LIMITED, "Alipay " + code + " " + subCode);
        }
        if ("20000".equals(code) || subCode.endsWith("SYSTEM_ERROR") || lower.startsWith("isp.")) {
            throw new QueryException(QueryException.Kind.SERVER_ERROR, "Alipay " + code + " " + subCode);
        }
        throw new QueryException(
                QueryException.Kind.REFUSED,
                "Alipay refused the query: " + code + " " + subCode + " "
                        + t.path("sub_msg").asText(""));
    }

    /** The response object {@code name} of a signed answer whose {@code sign} verifies; throws otherwise. */
    private JsonNode signedResponse(HttpResponse<String> r, String name) {
        if (r.statusCode() == 429) {
            throw new QueryException(QueryException.Kind.RATE_LIMITED, "Alipay HTTP 429");
        }
        if (r.statusCode() >= 500) {
            throw new QueryException(QueryException.Kind.SERVER_ERROR, "Alipay HTTP " + r.statusCode());
        }
        String body = r.body();
        JsonNode whole;
        try {
            whole = json.readTree(body);
        } catch (Exception e) {
            throw QueryException.unusable("Alipay answer is not JSON: " + e.getMessage());
        }
        String quoted = "\"" + name + "\"";
        int at = body.indexOf(quoted);
        int start = at < 0 ? -1 : body.indexOf('{', at + quoted.length());
        int end = body.lastIndexOf(",\"sign\"");
        if (start < 0 || end < start || whole == null || !whole.path("sign").isTextual()) {
            throw QueryException.unusable("Alipay answer has no signed " + name);
        }
        String content = body.substring(start, end).strip();
        if (!Keys.verify(alipayKey, content, whole.get("sign").asText())) {
            throw QueryException.unusable("Alipay answer sign does not verify");
        }
        return whole.get(name);
    }

    private ChannelAnswer read(RequeryCommand c, HttpResponse<String> r) {
        long now = System.currentTimeMillis();
        JsonNode t = signedResponse(r, RESPONSE);
        String code = t.path("code").asText("");
        String subCode = t.path("sub_code").asText("");
        if (!"10000".equals(code)) {
            if ("ACQ.TRADE_NOT_EXIST".equals(subCode)) {
                return new ChannelAnswer("NOTPAY", null, null, null, now);
            }
            failed(t);
        }
        if (!c.paymentId().equals(t.path("out_trade_no").asText())) {
            throw QueryException.unusable("Alipay answered about another order: "
                    + t.path("out_trade_no").asText());
        }
        String state = t.path("trade_status").asText("");
        String mapped;
        switch (state) {
            case "TRADE_SUCCESS":
            case "TRADE_FINISHED":
                mapped = "SUCCESS";
                break;
            case "TRADE_CLOSED":
                mapped = "CLOSED";
                break;
            case "WAIT_BUYER_PAY":
                mapped = "NOTPAY";
                break;
            default:
                throw QueryException.unusable("Alipay trade_status '" + state + "' is unknown");
        }
        long cents;
        try {
            cents = new BigDecimal(t.path("total_amount").asText())
                    .movePointRight(2)
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw QueryException.unusable(
                    "Alipay total_amount '" + t.path("total_amount").asText() + "' is not yuan with at most 2 places");
        }
        Long paidAt = null;
        if ("SUCCESS".equals(mapped) && t.hasNonNull("send_pay_date")) {
            paidAt = LocalDateTime.parse(t.get("send_pay_date").asText(), TIME)
                    .toInstant(BEIJING)
                    .toEpochMilli();
        }
        String txn = t.hasNonNull("trade_no") ? t.get("trade_no").asText() : null;
        return new ChannelAnswer(mapped, txn, cents, paidAt, now);
    }

    static String form(Map<String, String> p) {
        StringJoiner j = new StringJoiner("&");
        p.forEach((k, v) -> j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
