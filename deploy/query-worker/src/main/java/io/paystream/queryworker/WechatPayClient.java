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
 */
final class WechatPayClient implements ChannelClient {
    private static final String PATH = "/v3/pay/transactions/out-trade-no/";

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
        String url = PATH + URLEncoder.encode(c.paymentId(), StandardCharsets.UTF_8) + "?mchid="
                + URLEncoder.encode(mchId, StandardCharsets.UTF_8);
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
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> read(c, r));
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
        Long paidAt = null;
        if ("SUCCESS".equals(mapped) && b.hasNonNull("success_time")) {
            paidAt = OffsetDateTime.parse(b.get("success_time").asText())
                    .toInstant()
                    .toEpochMilli();
        }
        String txn = b.hasNonNull("transaction_id") ? b.get("transaction_id").asText() : null;
        return new ChannelAnswer(mapped, txn, total.asLong(), paidAt, now);
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
