package io.paystream.queryworker;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * UnionPay ACP 5.1.0 transaction status query ({@code queryTrans.do}): a form POST ({@code txnType=00,
 * txnSubType=00, bizType=000000}) signed with {@code signMethod=01}: SHA256-with-RSA over the hex
 * SHA-256 of the sorted {@code k=v} string, by the merchant's signing key named by {@code certId}.
 * The answer form must verify the same way with UnionPay's key named by its {@code certId} (from
 * {@code channel.unionpay.public-keys}, as the jobs verify notifications; the SDK's alternative, the
 * {@code signPubKeyCert} chain, is not used). {@code respCode=00} carries the original
 * transaction's {@code origRespCode}: 00 and A6 are SUCCESS, 03/04/05 (in process) USERPAYING,
 * anything else FAILED; {@code respCode=34} (no such transaction) is NOTPAY; respCode 03/04/05 and
 * HTTP 5xx are retried; HTTP 503 and 429 count as rate limiting.
 *
 * <p>A refund (退货, txnType 04) is its own transaction with its own {@code orderId}, the refund id:
 * a refund command queries that orderId (its {@code txnTime} from the command's {@code
 * refundingSince}) in the same request. {@code origRespCode} 00 is SUCCESS, 03/04/05 PROCESSING,
 * anything else FAILED; respCode 34 (UnionPay has no such refund) is PROCESSING: no outcome.
 */
final class UnionPayClient implements ChannelClient {
    private static final DateTimeFormatter TXN_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final HttpClient http;
    private final Duration timeout;
    private final String url;
    private final String merId;
    private final String certId;
    private final PrivateKey key;
    private final Map<String, PublicKey> unionpayKeys;

    UnionPayClient(HttpClient http, Duration timeout, WorkerSettings s) {
        this.http = http;
        this.timeout = timeout;
        this.url = s.get(WorkerSettings.UNIONPAY_QUERY_URL);
        this.merId = s.get(WorkerSettings.UNIONPAY_MER_ID);
        this.certId = s.get(WorkerSettings.UNIONPAY_CERT_ID);
        this.key = Keys.privateKey(s, WorkerSettings.UNIONPAY_KEY);
        this.unionpayKeys = Keys.publicKeys(s, WorkerSettings.UNIONPAY_PUBLIC_KEYS);
    }

    @Override
    public String channel() {
        return "UNIONPAY";
    }

    @Override
    public CompletableFuture<ChannelAnswer> query(RequeryCommand c) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("version", "5.1.0");
        p.put("encoding", "UTF-8");
        p.put("signMethod", "01");
        p.put("certId", certId);
        p.put("txnType", "00");
        p.put("txnSubType", "00");
        p.put("bizType", "000000");
        p.put("accessType", "0");
        p.put("merId", merId);
        p.put("orderId", c.subject());
        long since = c.payingSince() > 0 ? c.payingSince() : System.currentTimeMillis();
        p.put("txnTime", TXN_TIME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(since), AlipayClient.BEIJING)));
        p.put("signature", Keys.sign(key, Keys.sha256Hex(Keys.sortedContent(p, "signature"))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(AlipayClient.form(p), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> read(c, r));
    }

    private ChannelAnswer read(RequeryCommand c, HttpResponse<String> r) {
        long now = System.currentTimeMillis();
        if (r.statusCode() == 503 || r.statusCode() == 429) {
            throw new QueryException(QueryException.Kind.RATE_LIMITED, "UnionPay HTTP " + r.statusCode());
        }
        if (r.statusCode() >= 500) {
            throw new QueryException(QueryException.Kind.SERVER_ERROR, "UnionPay HTTP " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            throw new QueryException(QueryException.Kind.REFUSED, "UnionPay HTTP " + r.statusCode());
        }
        Map<String, String> a = parseForm(r.body());
        String signature = a.get("signature");
        if (signature == null || !a.containsKey("respCode")) {
            throw QueryException.unusable("UnionPay answer is not a signed form: " + WechatPayClient.brief(r.body()));
        }
        PublicKey k = unionpayKeys.get(a.getOrDefault("certId", ""));
        if (k == null) {
            throw QueryException.unusable("UnionPay answer signed by unknown certId '" + a.get("certId") + "'");
        }
        if (!Keys.verify(k, Keys.sha256Hex(Keys.sortedContent(a, "signature")), signature)) {
            throw QueryException.unusable("UnionPay answer signature does not verify (certId " + a.get("certId") + ")");
        }
        String resp = a.get("respCode");
        switch (resp) {
            case "00":
                break;
            case "34":
                return new ChannelAnswer(c.isRefund() ? "PROCESSING" : "NOTPAY", null, null, null, now);
            case "03":
            case "04":
            case "05":
                throw new QueryException(
                        QueryException.Kind.SERVER_ERROR, "UnionPay respCode " + resp + " " + a.get("respMsg"));
            default:
                throw new QueryException(
                        QueryException.Kind.REFUSED,
                        "UnionPay refused the query: respCode " + resp + " " + a.get("respMsg"));
        }
        if (!c.subject().equals(a.get("orderId")) || !merId.equals(a.get("merId"))) {
            throw QueryException.unusable(
                    "UnionPay answered about another order or merchant: orderId=" + a.get("orderId"));
        }
        String orig = a.getOrDefault("origRespCode", "");
        String mapped;
        switch (orig) {
            case "00":
                mapped = "SUCCESS";
                break;
            case "A6":
                // Partly successful: a payment that was paid; for a refund no outcome to trust.
                mapped = c.isRefund() ? "FAILED" : "SUCCESS";
                break;
            case "03":
            case "04":
            case "05":
                mapped = c.isRefund() ? "PROCESSING" : "USERPAYING";
                break;
            case "":
                throw QueryException.unusable("UnionPay answer has no origRespCode");
            default:
                mapped = "FAILED";
        }
        long cents;
        try {
            cents = Long.parseLong(a.getOrDefault("txnAmt", ""));
        } catch (NumberFormatException e) {
            throw QueryException.unusable("UnionPay txnAmt '" + a.get("txnAmt") + "' is not fen");
        }
        Long paidAt = null;
        if ("SUCCESS".equals(mapped) && a.containsKey("txnTime")) {
            paidAt = LocalDateTime.parse(a.get("txnTime"), TXN_TIME)
                    .toInstant(AlipayClient.BEIJING)
                    .toEpochMilli();
        }
        return new ChannelAnswer(mapped, a.get("queryId"), cents, paidAt, now);
    }

    static Map<String, String> parseForm(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
