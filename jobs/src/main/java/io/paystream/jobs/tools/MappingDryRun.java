package io.paystream.jobs.tools;

import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.InvalidMappingException;
import io.paystream.jobs.mapping.MappingCheck;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.cdc.ShopTable;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Map;

/**
 * {@code deploy/mapping-check}: checks a table mapping against the live database without starting
 * any job, and prints where each logical table lives, the shards it matched, what each optional
 * feature reads or that it is off, and every problem with its mapping line. Exit status 0 when the
 * mapping can be used, 1 when it cannot, 2 on bad arguments.
 */
public final class MappingDryRun {
    private MappingDryRun() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out) {
        Settings settings;
        ShopMapping mapping;
        try {
            settings = Settings.load(args, environment, PaystreamOptions.declaredIn(PaystreamOptions.class));
            mapping = ShopMapping.load(settings, environment);
        } catch (InvalidSettingsException | InvalidMappingException e) {
            out.println(e.getMessage());
            return e instanceof InvalidMappingException ? 1 : 2;
        }
        out.println("mapping: " + mapping.origin);
        mapping.describeTables().forEach(l -> out.println("  " + l));
        out.println("features:");
        mapping.features().forEach(l -> out.println("  " + l));
        MappingCheck.Report report = MappingCheck.check(mapping, EnumSet.allOf(ShopTable.class));
        out.println("tables read:");
        report.reads.forEach(l -> out.println("  " + l));
        if (report.ok()) {
            out.println("ok: every job can start on this mapping");
            return 0;
        }
        out.println(report.problems.size() + " problem" + (report.problems.size() == 1 ? "" : "s") + ":");
        report.problems.forEach(p -> out.println("  - " + p));
        return 1;
    }
}
