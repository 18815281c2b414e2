package io.paystream.sqlrunner;

import java.util.function.UnaryOperator;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.client.config.ResultMode;
import org.apache.flink.table.client.config.SqlClientOptions;
import org.apache.flink.table.client.gateway.Executor;
import org.apache.flink.table.client.gateway.StatementResult;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

/**
 * The SQL client's executor, remembering the first statement that failed: in its execution
 * (parse, validation, planning, submission) or, for a query, while its rows were fetched (the job
 * failed). Flink's client stops a script at such a failure and prints {@code [ERROR]}, but ends
 * with status 0 whatever happened (Flink 1.20); {@link SqlClientRunner} turns what is recorded
 * here into its exit status.
 */
final class FailureRecordingExecutor implements Executor {
    /** A statement and why it failed. */
    record Failure(String statement, Throwable cause) {
        /** The statement's first line, to name it (not the whole text: catalog statements hold the password). */
        String firstLine() {
            return statement.strip().lines().findFirst().orElse("");
        }
    }

    private final Executor delegate;
    /** Each statement as it runs (with a table mapping: statements on the views, see MappedCatalog). */
    private final UnaryOperator<String> rewrite;

    private volatile boolean runningScript;
    private volatile Failure firstFailure;

    FailureRecordingExecutor(Executor delegate) {
        this(delegate, UnaryOperator.identity());
    }

    FailureRecordingExecutor(Executor delegate, UnaryOperator<String> rewrite) {
        this.delegate = delegate;
        this.rewrite = rewrite;
    }

    /**
     * From now on statements come from a script (-f): the client refuses a query whose result
     * mode is not tableau there, after the executor ran it; that counts as a failure too.
     */
    void runningScript() {
        runningScript = true;
    }

    /** The first failure since the start, or null. */
    Failure firstFailure() {
        return firstFailure;
    }

    @Override
    public void configureSession(String statement) {
        try {
            delegate.configureSession(statement);
        } catch (RuntimeException e) {
            record(statement, e);
            throw e;
        }
    }

    @Override
    public StatementResult executeStatement(String statement) {
        StatementResult result;
        try {
            result = delegate.executeStatement(rewrite.apply(statement));
        } catch (RuntimeException e) {
            record(statement, e);
            throw e;
        }
        if (runningScript
                && result.isQueryResult()
                && delegate.getSessionConfig().get(SqlClientOptions.EXECUTION_RESULT_MODE) != ResultMode.TABLEAU) {
            record(
                    statement,
                    new IllegalStateException("a query in a script needs SET '"
                            + SqlClientOptions.EXECUTION_RESULT_MODE.key() + "' = 'tableau'"));
        }
        return new StatementResult(
                result.getResultSchema(),
                new RecordingRows(statement, result),
                result.isQueryResult(),
                result.getResultKind(),
                result.getJobId(),
                result.getRowDataToStringConverter());
    }

    @Override
    public ReadableConfig getSessionConfig() {
        return delegate.getSessionConfig();
    }

    @Override
    public java.util.Map<String, String> getSessionConfigMap() {
        return delegate.getSessionConfigMap();
    }

    @Override
    public java.util.List<String> completeStatement(String statement, int position) {
        return delegate.completeStatement(statement, position);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void record(String statement, Throwable cause) {
        if (firstFailure == null) {
            firstFailure = new Failure(statement, cause);
        }
    }

    /** A result's rows, recording a failure to fetch them. */
    private final class RecordingRows implements CloseableIterator<RowData> {
        private final String statement;
        private final StatementResult rows;

        RecordingRows(String statement, StatementResult rows) {
            this.statement = statement;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            try {
                return rows.hasNext();
            } catch (RuntimeException e) {
                record(statement, e);
                throw e;
            }
        }

        @Override
        public RowData next() {
            try {
                return rows.next();
            } catch (RuntimeException e) {
                record(statement, e);
                throw e;
            }
        }

        @Override
        public void close() {
            rows.close();
        }
    }
}
