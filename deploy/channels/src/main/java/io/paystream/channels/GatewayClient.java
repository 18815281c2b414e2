package io.paystream.channels;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A channel's HTTP side: POSTs a notification (its body and headers) to the shop's callback
 * gateway ({@code deploy/gateway}), from this machine, naming the channel's own address in {@code
 * X-Forwarded-For} as the proxy in front of a real gateway would (the gateway must trust this
 * machine's address: {@code gateway.trusted-proxies}). {@link #delivered} says whether the answer
 * is the channel's success answer; anything else (a failure answer, a connection error, a timeout)
 * means the channel resends the notification later, as the real channels do.
 */
public final class GatewayClient {
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /** @param base e.g. {@code http://127.0.0.1:8080} */
    public GatewayClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** The gateway's endpoint for a channel's payment notifications. */
    public static String path(String channel) {
        return switch (channel) {
            case "WECHAT" -> "/notify/wechat/pay";
            case "ALIPAY" -> "/notify/alipay";
            case "UNIONPAY" -> "/notify/unionpay";
            default -> throw new IllegalArgumentException(channel);
        };
    }

    /**
     * The gateway's endpoint for a channel's refund notifications: WeChat Pay and UnionPay have a
     * refund notify_url of their own, Alipay tells refunds on the trade's one notify_url.
     */
    public static String refundPath(String channel) {
        return switch (channel) {
            case "WECHAT" -> "/notify/wechat/refund";
            case "ALIPAY" -> "/notify/alipay";
            case "UNIONPAY" -> "/notify/unionpay/refund";
            default -> throw new IllegalArgumentException(channel);
        };
    }

    /** The gateway's answer, as the channel reads it. */
    public record Answer(int status, String body) {}

    /** Whether {@code answer} is {@code channel}'s success answer (WeChat Pay: 2xx; Alipay: {@code success}; UnionPay: 200). */
    public static boolean delivered(String channel, Answer answer) {
        return switch (channel) {
            case "WECHAT" -> answer.status() / 100 == 2;
            case "ALIPAY" -> answer.status() == 200 && answer.body().strip().equals("success");
            default -> answer.status() == 200;
        };
    }

    private HttpRequest request(CallbackEnvelope n, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(n.body))
                .header("X-Forwarded-For", n.sourceAddress);
        n.headers.forEach(b::header);
        return b.build();
    }

    /** Posts {@code n}; a connection error or timeout is thrown as an IOException. */
    public Answer post(CallbackEnvelope n) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(n, path(n.channel)), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** Posts {@code n} without waiting; completes exceptionally on a connection error or timeout. */
    public CompletableFuture<Answer> postAsync(CallbackEnvelope n) {
        return postAsync(n, path(n.channel));
    }

    /** Posts {@code n} to {@code path} (e.g. {@link #refundPath}) without waiting. */
    public CompletableFuture<Answer> postAsync(CallbackEnvelope n, String path) {
        return http.sendAsync(request(n, path), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }
}
