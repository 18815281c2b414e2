package io.paystream.functions.callbacks;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Form bodies and the sorted {@code k=v&...} content that Alipay and UnionPay sign. */
public final class Forms {
    static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter ALIPAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter UNIONPAY_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private Forms() {}

    /** {@code application/x-www-form-urlencoded} (UTF-8) into an ordered map; a repeated key is malformed. */
    static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(k, v) != null) {
                throw new IllegalArgumentException("parameter '" + k + "' appears twice");
            }
        }
        return out;
    }

    /**
     * The value of one parameter, found without parsing the others (what a rejected notification
     * claims, read cheaply); null when absent, empty, repeated or not decodable.
     */
    public static String single(String body, String name) {
        String found = null;
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('&', start);
            if (end < 0) {
                end = body.length();
            }
            if (body.startsWith(name, start)
                    && start + name.length() < end
                    && body.charAt(start + name.length()) == '=') {
                if (found != null) {
                    return null;
                }
                found = body.substring(start + name.length() + 1, end);
            }
            start = end + 1;
        }
        if (found == null || found.isEmpty()) {
            return null;
        }
        try {
            return URLDecoder.decode(found, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String sortedContent(Map<String, String> params, String... excluded) {
        TreeMap<String, String> sorted = new TreeMap<>(params);
        for (String e : excluded) {
            sorted.remove(e);
        }
        StringJoiner j = new StringJoiner("&");
        sorted.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                j.add(k + "=" + v);
            }
        });
        return j.toString();
    }

    static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing");
        }
        return v;
    }

    static long alipayTime(String text) {
        return LocalDateTime.parse(text, ALIPAY_TIME).toInstant(BEIJING).toEpochMilli();
    }

    static long unionpayTime(String text) {
        return LocalDateTime.parse(text, UNIONPAY_TIME).toInstant(BEIJING).toEpochMilli();
    }
}
