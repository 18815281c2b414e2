package io.paystream.gateway;

import java.util.function.Function;

/**
 * One setting of the gateway: its key (in a config file and as {@code --key value}), its
 * environment variable ({@code PAYSTREAM_} + the key upper-cased, dots and dashes as underscores),
 * its default (null: unset), how its text is read, and whether it is a secret (environment only).
 */
public final class GatewayOption<T> {
    private final String key;
    private final String defaultValue;
    private final String description;
    private final boolean secret;
    private final Function<String, T> parser;

    GatewayOption(String key, String defaultValue, String description, boolean secret, Function<String, T> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    /** The default as text (null: unset). */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean secret() {
        return secret;
    }

    /** The environment variable that sets it. */
    public String envName() {
        return GatewaySettings.envName(key);
    }

    T parse(String text) {
        return parser.apply(text);
    }
}
