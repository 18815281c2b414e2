package io.paystream.gateway;

import java.nio.charset.StandardCharsets;

/**
 * What a channel is told. Success only once Kafka acknowledged the record: WeChat Pay v3 200 with
 * {@code {"code":"SUCCESS"}}, Alipay the text {@code success}, UnionPay 200. Anything else makes the
 * channel resend: WeChat Pay {@code {"code":"FAIL","message":...}} with a 4xx/5xx status, Alipay the
 * text {@code fail}, UnionPay a non-200 status.
 */
public record Answer(int status, String contentType, byte[] body, String label) {
    public static Answer success(Endpoint.Channel channel) {
        return switch (channel) {
            case WECHAT -> json(200, "{\"code\":\"SUCCESS\",\"message\":\"OK\"}", "success");
            case ALIPAY -> text(200, "success", "success");
            case UNIONPAY -> text(200, "ok", "success");
        };
    }

    /**
     * The channel's failure answer with {@code status}; {@code label} names it in the metrics
     * (failure, forbidden, too_large, overloaded, timeout, bad_request, unavailable).
     */
    public static Answer failure(Endpoint.Channel channel, int status, String message, String label) {
        if (channel == null) {
            return text(status, message, label);
        }
        return switch (channel) {
            case WECHAT -> json(status, "{\"code\":\"FAIL\",\"message\":\"" + escape(message) + "\"}", label);
            case ALIPAY -> text(status, "fail", label);
            case UNIONPAY -> text(status, message, label);
        };
    }

    public boolean isSuccess() {
        return label.equals("success");
    }

    static Answer json(int status, String body, String label) {
        return new Answer(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), label);
    }

    static Answer text(int status, String body, String label) {
        return new Answer(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), label);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
