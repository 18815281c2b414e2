package io.paystream.gateway;

import java.util.Locale;

/**
 * The notification endpoints: which channel posts there, payment or refund notifications, and the
 * answers that channel expects. Refund notifications are published like payment ones (same topic,
 * same envelope); verifying them is the jobs' part.
 */
public enum Endpoint {
    WECHAT_PAY("/notify/wechat/pay", Channel.WECHAT, "pay"),
    WECHAT_REFUND("/notify/wechat/refund", Channel.WECHAT, "refund"),
    /** Alipay posts payment and refund notifications to the one notify_url. */
    ALIPAY("/notify/alipay", Channel.ALIPAY, "pay"),
    UNIONPAY_PAY("/notify/unionpay", Channel.UNIONPAY, "pay"),
    UNIONPAY_REFUND("/notify/unionpay/refund", Channel.UNIONPAY, "refund");

    /** A payment channel as the envelope names it. */
    public enum Channel {
        WECHAT,
        ALIPAY,
        UNIONPAY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public final String path;
    public final Channel channel;
    public final String kind;

    Endpoint(String path, Channel channel, String kind) {
        this.path = path;
        this.channel = channel;
        this.kind = kind;
    }

    /** The endpoint at {@code path} (query string ignored), or null. */
    public static Endpoint of(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (Endpoint e : values()) {
            if (e.path.equals(path)) {
                return e;
            }
        }
        return null;
    }
}
