package io.paystream.jobs.payments;

import io.paystream.functions.callbacks.ChannelCredentials;
import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/** Reads the channels' keys and secrets named by the settings, and checks them, at job start. */
final class ChannelSettings {
    private ChannelSettings() {}

    static ChannelCredentials credentials(Settings s) {
        List<String> problems = new ArrayList<>();
        ChannelCredentials c = new ChannelCredentials();
        c.replayWindowMs = s.get(PaymentOptions.REPLAY_WINDOW).toMillis();
        c.wechatMchId = s.get(PaymentOptions.WECHAT_MCH_ID);
        c.wechatAppId = s.get(PaymentOptions.WECHAT_APP_ID);
        c.wechatPlatformKeys = files(s, PaymentOptions.WECHAT_PLATFORM_KEYS, problems);
        c.wechatApiV3Key = s.get(PaymentOptions.WECHAT_APIV3_KEY);
        c.wechatAllowlist = s.get(PaymentOptions.WECHAT_ALLOWLIST);
        c.alipayAppId = s.get(PaymentOptions.ALIPAY_APP_ID);
        String alipayKey = s.get(PaymentOptions.ALIPAY_PUBLIC_KEY);
        c.alipayPublicKey = alipayKey == null ? null : read(PaymentOptions.ALIPAY_PUBLIC_KEY, alipayKey, problems);
        c.alipayAllowlist = s.get(PaymentOptions.ALIPAY_ALLOWLIST);
        c.unionpayMerId = s.get(PaymentOptions.UNIONPAY_MER_ID);
        c.unionpayPublicKeys = files(s, PaymentOptions.UNIONPAY_PUBLIC_KEYS, problems);
        c.unionpayHmacSecret = s.get(PaymentOptions.UNIONPAY_HMAC_SECRET);
        c.unionpayAllowlist = s.get(PaymentOptions.UNIONPAY_ALLOWLIST);
        c.queryKeys = pairs(s, PaymentOptions.QUERY_HMAC_KEYS, problems);
        if (c.queryKeys.isEmpty()) {
            problems.add("setting 'query.hmac-keys' is required: query answers could never be verified");
        }
        if (problems.isEmpty()) {
            try {
                c.load(); // parse every key now: a bad one fails the submission, not a task
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return c;
    }

    private static Map<String, String> files(Settings s, ConfigOption<String> option, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        pairs(s, option, problems).forEach((id, path) -> {
            String pem = read(option, path, problems);
            if (pem != null) {
                out.put(id, pem);
            }
        });
        return out;
    }

    private static Map<String, String> pairs(Settings s, ConfigOption<String> option, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        String v = s.get(option);
        if (v == null || v.isBlank()) {
            return out;
        }
        for (String entry : v.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                problems.add("setting '" + option.key() + "': expected id=value pairs, got '" + entry.strip() + "'");
            } else {
                out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String read(ConfigOption<String> option, String path, List<String> problems) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            problems.add("setting '" + option.key() + "': cannot read key file " + path + " (" + e.getMessage() + ")");
            return null;
        }
    }
}
