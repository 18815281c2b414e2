package io.paystream.jobs.reconcile;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.paystream.functions.payments.LostPaymentOptions;
import io.paystream.functions.reconcile.ReconcileOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the reconciliation job: where the bills are, and the reconciliation's own. */
public final class ReconciliationOptions {
    public static final ConfigOption<String> BILLS_PATH = key("reconcile.bills.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Where the channels' bill files arrive: a directory (or any Flink file system path such as"
                    + " s3://...), sub-directories included, names <CHANNEL>_<yyyy-MM-dd>.csv|.zip[.gz]; write a file"
                    + " under a name starting with '.' and rename it when complete. Required.");
    public static final ConfigOption<Duration> BILLS_MONITOR_INTERVAL = key("reconcile.bills.monitor-interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("How often the bills directory is looked at for new files. 0: read the files there now,"
                    + " then end (one day's check, deploy/reconcile).");
    public static final ConfigOption<String> CHANNELS = key("reconcile.channels")
            .stringType()
            .defaultValue("WECHAT,ALIPAY")
            .withDescription("The channels whose bills are reconciled (comma-separated): those whose bill format is"
                    + " confirmed, WECHAT and ALIPAY. A shop without one of them leaves it out: its payments are"
                    + " then not kept waiting for bills that never come.");
    public static final ConfigOption<String> FIRST_DAY = ReconcileOptions.FIRST_DAY;
    public static final ConfigOption<String> LAST_DAY = ReconcileOptions.LAST_DAY;
    public static final ConfigOption<Integer> PENDING_DAYS = ReconcileOptions.PENDING_DAYS;
    public static final ConfigOption<Integer> KEEP_DAYS = ReconcileOptions.KEEP_DAYS;
    public static final ConfigOption<Duration> SHOP_WAIT = ReconcileOptions.SHOP_WAIT;
    public static final ConfigOption<String> CALENDAR_FIRST_DAY_START = ReconcileOptions.CALENDAR_FIRST_DAY_START;
    public static final ConfigOption<Duration> CALENDAR_DAY_LENGTH = ReconcileOptions.CALENDAR_DAY_LENGTH;

    /** A discrepancy's confirmation due at a restore waits this long for the rows replayed from the checkpoint. */
    public static final ConfigOption<Duration> RESTORE_GRACE = LostPaymentOptions.RESTORE_GRACE;

    public static final ConfigOption<Duration> STATE_SAFETY_TTL = LostPaymentOptions.STATE_SAFETY_TTL;

    private ReconciliationOptions() {}
}
