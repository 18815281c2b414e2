package io.paystream.gateway;

import io.paystream.channels.CallbackEnvelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A channel's HTTP side, as the tests play it: POSTs a simulated channel's notification (its body
 * and headers) to the gateway over real HTTP, from 127.0.0.1, naming the channel's genuine address
 * in X-Forwarded-For as a proxy in front of the gateway would.
 */
final class Notifier {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Notifier() {}

    static String pathOf(CallbackEnvelope n) {
        return switch (n.channel) {
            case "WECHAT" -> "/notify/wechat/pay";
            case "ALIPAY" -> "/notify/alipay";
            default -> "/notify/unionpay";
        };
    }

    static HttpRequest request(int port, String path, CallbackEnvelope n, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(n.body));
        n.headers.forEach(b::header);
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return b.build();
    }

    static HttpResponse<String> post(int port, CallbackEnvelope n) {
        return post(port, pathOf(n), n, n.sourceAddress);
    }

    static HttpResponse<String> post(int port, String path, CallbackEnvelope n, String forwardedFor) {
        try {
            return HTTP.send(request(port, path, n, forwardedFor), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CompletableFuture<HttpResponse<String>> postAsync(int port, CallbackEnvelope n) {
        return HTTP.sendAsync(request(port, pathOf(n), n, n.sourceAddress), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code response} is the channel's success answer. */
    static boolean isSuccess(String channel, HttpResponse<String> response) {
        return switch (channel) {
            case "WECHAT" -> response.statusCode() == 200 && response.body().contains("\"SUCCESS\"");
            case "ALIPAY" -> response.statusCode() == 200 && response.body().equals("success");
            default -> response.statusCode() == 200;
        };
    }
}
