package io.paystream.jobs.config;

import java.util.List;

/** A configuration error found at start: the message names every bad or missing setting. */
public class InvalidSettingsException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("paystream configuration is invalid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
