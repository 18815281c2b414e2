package io.paystream.jobs.tools;

import java.io.PrintStream;
import java.util.Map;

/** Lets tests of other packages run the dry run with their own output stream. */
public final class MappingDryRunAccess {
    private MappingDryRunAccess() {}

    public static int run(String[] args, Map<String, String> environment, PrintStream out) {
        return MappingDryRun.run(args, environment, out);
    }
}
