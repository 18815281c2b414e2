package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.paystream.servers.LocalServers;
import io.paystream.servers.ScratchDirectories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/sql-client ends with a non-zero status when a statement fails, shows the error and runs
 * nothing after it: a statement the planner refuses, a query whose job fails while its rows are
 * read, a catalog that does not load. Flink's own client would print [ERROR] and end with 0. No
 * servers needed: nothing here connects to the catalog's endpoints.
 */
class SqlClientFailuresIT {
    static Path work;
    static Path endpoints;

    @BeforeAll
    static void endpointsNobodyConnectsTo() throws Exception {
        work = ScratchDirectories.create("sql-client-failures");
        endpoints = work.resolve("endpoints.json");
        LocalServers.writeJson(
                endpoints,
                Map.of(
                        "mysql.hostname",
                        "127.0.0.1",
                        "mysql.port",
                        "9",
                        "mysql.database",
                        "shop",
                        "mysql.cdc-username",
                        "paystream",
                        "mysql.cdc-password",
                        "not-a-secret",
                        "kafka.bootstrap-servers",
                        "127.0.0.1:9",
                        "elasticsearch.url",
                        "http://127.0.0.1:9"));
    }

    record Run(int status, String output) {}

    @Test
    void aStatementThePlannerRefusesStopsTheScriptWithStatusOne() throws Exception {
        Run run = run(
                List.of(),
                script("refused.sql", "SHOW TABLES;", "SELECT order_id FROM no_such_table;", "SHOW CURRENT DATABASE;"));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("order_documents") // the statement before ran
                .contains("[ERROR] Could not execute SQL statement.")
                .contains("Object 'no_such_table' not found")
                .contains("refused.sql stopped at a failed statement: `SELECT order_id FROM no_such_table;`")
                .doesNotContain("default_database"); // the statement after did not
    }

    @Test
    void aQueryWhoseJobFailsStopsTheScriptWithStatusOne() throws Exception {
        // Valid SQL; the job fails on its first row: random letters are no number.
        Run run = run(
                List.of(),
                script(
                        "failing-job.sql",
                        "SET 'sql-client.execution.result-mode' = 'tableau';",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "CREATE TEMPORARY TABLE words (w STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.w.length' = '5');",
                        "SELECT CAST(w AS INT) AS n FROM words;",
                        "SHOW CURRENT DATABASE;"));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("[ERROR] Could not execute SQL statement.")
                .contains("NumberFormatException")
                .contains("failing-job.sql stopped at a failed statement: `SELECT CAST(w AS INT) AS n FROM words;`")
                .doesNotContain("default_database");
    }

    @Test
    void aCatalogThatDoesNotLoadEndsBeforeTheScriptWithStatusOne() throws Exception {
        Path catalog = script(
                "catalog.sql",
                "CREATE TABLE orders (order_id BIGINT) WITH ('connector' = 'datagen', 'password' = '${PAYSTREAM_MYSQL_PASSWORD}');",
                "CREATE VIEW open_orders AS SELECT * FROM no_such_table;");
        Run run = run(List.of("--catalog", catalog.toString()), script("never-runs.sql", "SHOW CURRENT DATABASE;"));
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("catalog.sql failed at `CREATE VIEW open_orders AS SELECT * FROM no_such_table;`")
                .contains("Object 'no_such_table' not found")
                .doesNotContain("default_database")
                .doesNotContain("not-a-secret");
    }

    // ---------------------------------------------------------------------------------------------

    private static Path script(String name, String... statements) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, String.join("\n", statements) + "\n");
        return file;
    }

    /** deploy/sql-client --endpoints ... [args] -f script, as a user runs it; stdout and stderr together. */
    private static Run run(List<String> args, Path script) throws Exception {
        List<String> command = new ArrayList<>(List.of("--endpoints", endpoints.toString()));
        command.addAll(args);
        command.addAll(List.of("-f", script.toString()));
        Path out = work.resolve(script.getFileName() + ".out");
        ProcessBuilder pb = SqlClientProcess.builder(command, Map.of(), work, out);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(script + " did not end within 3 minutes:\n" + Files.readString(out));
        }
        System.out.printf(
                "%s ran in %d ms%n", script.getFileName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
