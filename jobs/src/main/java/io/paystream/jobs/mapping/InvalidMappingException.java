package io.paystream.jobs.mapping;

import java.util.List;

/** A mapping file that cannot be used, with every problem found, each naming its line. */
public final class InvalidMappingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidMappingException(List<String> problems) {
        super("the table mapping has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
