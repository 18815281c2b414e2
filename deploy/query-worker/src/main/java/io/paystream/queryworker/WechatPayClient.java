package io.paystream.queryworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * WeChat Pay API v3 "query order by out_trade_no": {@code GET
 * /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=...} with {@code Authorization:
 * WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."},
 * the signature over {@code GET\nURL\ntimestamp\nnonce\n\n} with the merchant's API key. The answer
 * is trusted only if its {@code Wechatpay-Signature} (over {@code timestamp\nnonce\nbody\n}) verifies
 * with the platform key named by {@code Wechatpay-Serial}. trade_state: SUCCESS and REFUND (it was
 * paid) are SUCCESS; CLOSED and REVOKED are CLOSED; PAYERROR is FAILED; NOTPAY and USERPAYING as
 * they are; ORDER_NOT_EXIST is NOTPAY (the user never reached the channel).
 *
 * <p>A refund command asks {@code GET /v3/refund/domestic/refunds/{out_refund_no}} (signed and
 * verified the same way; a direct merchant sends no query string): refund {@code status} SUCCESS,
 * CLOSED and PROCESSING as they are, ABNORMAL is FAILED; {@code RESOURCE_NOT_EXISTS} (the refund
 * never reached WeChat Pay) is PROCESSING without amount: no outcome, the job's schedule goes on.
 */
final class WechatPayClient implements ChannelClient {
    private static final String PATH = "/v3/pay/transactions/out-trade-no/";
    /** 查询单笔退款（通过商户退款单号）: the official SDK's {@code RefundService.queryByOutRefundNo}. */
    private static final String REFUND_PATH = "/v3/refund/domestic/refunds/";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final String baseUrl;
    private final String mchId;
    private final String merchantSerial;
    private final PrivateKey merchantKey;
    private final Map<String, PublicKey> platformKeys;
    private final SecureRandom random = new SecureRandom();

    WechatPayClient(HttpClient http, ObjectMapper json, Duration timeout, WorkerSettings s) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.baseUrl = stripSlash(s.get(WorkerSettings.WECHAT_BASE_URL));
        this.mchId = s.get(WorkerSettings.WECHAT_MCH_ID);
        this.merchantSerial = s.get(WorkerSettings.WECHAT_MERCHANT_SERIAL);
        this.merchantKey = Keys.privateKey(s, WorkerSettings.WECHAT_MERCHANT_KEY);
        this.platformKeys = Keys.publicKeys(s, WorkerSettings.WECHAT_PLATFORM_KEYS);
    }

    @Override
    public String channel() {
        return "WECHAT";
    }

    @Override
    public CompletableFuture<ChannelAnswer> query(RequeryCommand c) {
        if (c.isRefund()) {
            return send(REFUND_PATH + URLEncoder.encode(c.refundId(), StandardCharsets.UTF_8))
                    .thenApply(r -> readRefund(c, r));
        }
        String url = PATH + URLEncoder.encode(c.paymentId(), StandardCharsets.UTF_8) + "?mchid="
                + URLEncoder.encode(mchId, StandardCharsets.UTF_8);
        return send(url).thenApply(r -> read(c, r));
    }

    /** A signed GET of {@code url} (path and query). */
    private CompletableFuture<HttpResponse<String>> send(String url) {
        long ts = System.currentTimeMillis() / 1000;
        String nonce = nonce();
        String signature = Keys.sign(merchantKey, "GET\n" + url + "\n" + ts + "\n" + nonce + "\n\n");
        String auth = "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchId + "\",nonce_str=\"" + nonce + "\",signature=\""
                + signature + "\",timestamp=\"" + ts + "\",serial_no=\"" + merchantSerial + "\"";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + url))
                .timeout(timeout)
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .header("User-Agent", "paystream-query-worker")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private ChannelAnswer readRefund(RequeryCommand c, HttpResponse<String> r) {
        long now = System.currentTimeMillis();
        JsonNode b = checked(r);
        if (r.statusCode() == 404 && "RESOURCE_NOT_EXISTS".equals(b.path("code").asText())) {
            return new ChannelAnswer("PROCESSING", null, null, null, now);
        }
        refused(r, b);
        if (!c.refundId().equals(b.path("out_refund_no").asText())
                || !c.paymentId().equals(b.path("out_trade_no").asText())) {
            throw QueryException.unusable("WeChat Pay answered about another refund: out_refund_no="
                    + b.path("out_refund_no").asText() + " out_trade_no="
                    + b.path("out_trade_no").asText());
        }
        String state = b.path("status").asText("");
        String mapped;
        switch (state) {
            case "SUCCESS":
            case "CLOSED":
            case "PROCESSING":
                mapped = state;
                break;
            case "ABNORMAL":
                mapped = "FAILED";
                break;
            default:
                throw QueryException.unusable("WeChat Pay refund status '" + state + "' is unknown");
        }
        JsonNode refund = b.path("amount").path("refund");
        if (!refund.canConvertToLong()) {
            throw QueryException.unusable("WeChat Pay refund answer has no amount.refund");
        }
        Long refundedAt = "SUCCESS".equals(mapped) ? successTime(b) : null;
        String id = b.hasNonNull("refund_id") ? b.get("refund_id").asText() : null;
        return new ChannelAnswer(mapped, id, refund.asLong(), refundedAt, now);
    }

    /** Throws on rate limits and server errors, verifies the answer's signature and reads its JSON. */
    private JsonNode checked(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status == 429) {
            throw new QueryException(QueryException.Kind.RATE_LIMITED, "WeChat Pay 429 " + brief(r.body()));
        }
        if (status >= 500) {
            throw new QueryException(QueryException.Kind.SERVER_ERROR, "WeChat Pay " + status + " " + brief(r.body()));
        }
        verifySignature(r);
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw QueryException.unusable("WeChat Pay answer is not JSON: " + e.getMessage());
        }
    }

    /** Throws on an answer other than 200: rate limited, a system error, or refused. */
    private static void refused(HttpResponse<String> r, JsonNode b) {
        int status = r.statusCode();
        if (status != 200) {
            String code = b.path("code").asText("");
            if ("FREQUENCY_LIMITED".equals(code)) {
                throw new QueryException(QueryException.Kind.RATE_LIMITED, "WeChat Pay " + status + " " + code);
            }
            if ("SYSTEM_ERROR".equals(code)) {
                throw new QueryException(QueryException.Kind.SERVER_ERROR, "WeChat Pay " + status + " " + code);
            }
            throw new QueryException(
                    QueryException.Kind.REFUSED, "WeChat Pay refused the query: " + status + " " + brief(r.body()));
        }
    }

    private ChannelAnswer read(RequeryCommand c, HttpResponse<String> r) {
        long now = System.currentTimeMillis();
        int status = r.statusCode();
        if (status == 429) {
            throw new QueryException(QueryException.Kind.RATE_LIMITED, "WeChat Pay 429 " + brief(r.body()));
        }
        if (status >= 500) {
            throw new QueryException(QueryException.Kind.SERVER_ERROR, "WeChat Pay " + status + " " + brief(r.body()));
        }
        verifySignature(r);
        JsonNode b;
        try {
            b = json.readTree(r.body());
        } catch (Exception e) {
            throw QueryException.unusable("WeChat Pay answer is not JSON: " + e.getMessage());
        }
        if (status == 404 && "ORDER_NOT_EXIST".equals(b.path("code").asText())) {
            return new ChannelAnswer("NOTPAY", null, null, null, now);
        }
        if (status != 200) {
            String code = b.path("code").asText("");
            if ("FREQUENCY_LIMITED".equals(code)) {
                throw new QueryException(QueryException.Kind.RATE_LIMITED, "WeChat Pay " + status + " " + code);
            }
            if ("SYSTEM_ERROR".equals(code)) {
                throw new QueryException(QueryException.Kind.SERVER_ERROR, "WeChat Pay " + status + " " + code);
            }
            throw new QueryException(
                    QueryException.Kind.REFUSED, "WeChat Pay refused the query: " + status + " " + brief(r.body()));
        }
        if (!c.paymentId().equals(b.path("out_trade_no").asText())
                || !mchId.equals(b.path("mchid").asText())) {
            throw QueryException.unusable("WeChat Pay answered about another order or merchant: out_trade_no="
                    + b.path("out_trade_no").asText() + " mchid="
                    + b.path("mchid").asText());
        }
        String state = b.path("trade_state").asText("");
        String mapped;
        switch (state) {
            case "SUCCESS":
            case "REFUND":
                mapped = "SUCCESS";
                break;
            case "CLOSED":
            case "REVOKED":
                mapped = "CLOSED";
                break;
            case "PAYERROR":
                mapped = "FAILED";
                break;
            case "NOTPAY":
            case "USERPAYING":
                mapped = state;
                break;
            default:
                throw QueryException.unusable("WeChat Pay trade_state '" + state + "' is unknown");
        }
        JsonNode total = b.path("amount").path("total");
        if (!total.canConvertToLong()) {
            throw QueryException.unusable("WeChat Pay answer has no amount.total");
        }
        Long paidAt = "SUCCESS".equals(mapped) ? successTime(b) : null;
        String txn = b.hasNonNull("transaction_id") ? b.get("transaction_id").asText() : null;
        return new ChannelAnswer(mapped, txn, total.asLong(), paidAt, now);
    }

    /** {@code success_time} of a payment or refund answer, epoch ms; null when absent. */
    private static Long successTime(JsonNode b) {
        return b.hasNonNull("success_time")
                ? OffsetDateTime.parse(b.get("success_time").asText())
                        .toInstant()
                        .toEpochMilli()
                : null;
    }

    private void verifySignature(HttpResponse<String> r) {
        String serial = r.headers().firstValue("Wechatpay-Serial").orElse("");
        String ts = r.headers().firstValue("Wechatpay-Timestamp").orElse("");
        String nonce = r.headers().firstValue("Wechatpay-Nonce").orElse("");
        String sig = r.headers().firstValue("Wechatpay-Signature").orElse(null);
        PublicKey key = platformKeys.get(serial);
        if (key == null) {
            throw QueryException.unusable("WeChat Pay answer signed by unknown platform key serial '" + serial + "'");
        }
        if (!Keys.verify(key, ts + "\n" + nonce + "\n" + r.body() + "\n", sig)) {
            throw QueryException.unusable("WeChat Pay answer signature does not verify (serial " + serial + ")");
        }
    }

    private String nonce() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String brief(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
