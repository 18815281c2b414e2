package io.paystream.state.dlq;

/**
 * A record paystream could not use, on its way to {@code paystream.dlq}: where it came from, why it
 * was refused, and the raw record as received, so nobody has to dig through logs to replay it.
 */
public class DeadLetter {
    /** Which input: {@code cdc:shop.payments}, {@code kafka:payment.callbacks}, ... */
    public String source;
    /** Why it was refused, for a person to read. */
    public String reason;
    /** The raw record as received (text, or a readable rendering of a binlog row). */
    public String raw;
    /** When paystream refused it (epoch ms). */
    public long timeMs;
    /** The job that refused it. */
    public String job;

    public DeadLetter() {}

    public DeadLetter(String source, String reason, String raw, long timeMs) {
        this.source = source;
        this.reason = reason;
        this.raw = raw;
        this.timeMs = timeMs;
    }

    @Override
    public String toString() {
        return "DeadLetter{source=" + source + ", reason=" + reason + ", job=" + job + ", raw=" + raw + '}';
    }
}
