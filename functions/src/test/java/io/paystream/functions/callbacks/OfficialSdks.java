package io.paystream.functions.callbacks;

import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import io.paystream.channels.CallbackEnvelope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What the differential tests hand the official SDKs: a notification as they read it. */
final class OfficialSdks {
    private OfficialSdks() {}

    /** The WeChat Pay SDK's parse of a notification (its headers and body); null when the SDK rejects it. */
    static <T> T wechatParse(NotificationParser sdk, CallbackEnvelope e, Class<T> type) {
        RequestParam p = new RequestParam.Builder()
                .serialNumber(e.headers.get("Wechatpay-Serial"))
                .nonce(e.headers.get("Wechatpay-Nonce"))
                .signature(e.headers.get("Wechatpay-Signature"))
                .timestamp(e.headers.get("Wechatpay-Timestamp"))
                .signType(e.headers.get("Wechatpay-Signature-Type"))
                .body(e.body)
                .build();
        try {
            return sdk.parse(p, type);
        } catch (RuntimeException rejected) {
            return null;
        }
    }

    /** A form body as the Alipay SDK's signature check takes it. */
    static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            m.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }
}
