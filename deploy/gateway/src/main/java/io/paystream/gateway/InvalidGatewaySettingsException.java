package io.paystream.gateway;

import java.util.List;

/** A configuration error found at start: the message names every bad or missing setting. */
public class InvalidGatewaySettingsException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidGatewaySettingsException(List<String> problems) {
        super("paystream gateway configuration is invalid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
