package io.paystream.sandbox.traffic;

import io.paystream.channels.CallbackEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated channels' notifications over HTTP to the callback gateway (`deploy/gateway`), as
 * the real channels send them: the body and headers as signed, the channel's own address in
 * {@code X-Forwarded-For} as the shop's nginx in front of the gateway would add it (the gateway
 * trusts loopback as that proxy). A notification counts as delivered only on the channel's own
 * success answer; on anything else the channel resends it, as WeChat Pay, Alipay and UnionPay do.
 */
final class GatewayDelivery {
    /** Headers the HTTP client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "host", "expect", "upgrade");

    private final URI base;
    private final HttpClient http;

    GatewayDelivery(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The gateway's endpoint of a channel's payment notifications. */
    static String path(String channel) {
        switch (channel) {
            case "WECHAT":
                return "/notify/wechat/pay";
            case "ALIPAY":
                return "/notify/alipay";
            case "UNIONPAY":
                return "/notify/unionpay";
            default:
                throw new IllegalArgumentException("no gateway endpoint for channel " + channel);
        }
    }

    /** Whether an answer is the channel's success answer (anything else makes it resend). */
    static boolean acknowledged(String channel, int status, String body) {
        if ("ALIPAY".equals(channel)) {
            return status == 200 && "success".equals(body.strip());
        }
        return status >= 200 && status < 300;
    }

    /** Sends one notification; completes with whether the gateway acknowledged it. */
    CompletableFuture<Boolean> deliver(CallbackEnvelope e) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path(e.channel)))
                .timeout(Duration.ofSeconds(5)) // WeChat Pay's patience
                .POST(HttpRequest.BodyPublishers.ofString(e.body, StandardCharsets.UTF_8))
                .header("X-Forwarded-For", e.sourceAddress);
        for (Map.Entry<String, String> h : e.headers.entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase())) {
                request.header(h.getKey(), h.getValue());
            }
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> acknowledged(e.channel, r.statusCode(), r.body()))
                .exceptionally(failure -> false); // refused, reset, timed out: not delivered
    }
}
