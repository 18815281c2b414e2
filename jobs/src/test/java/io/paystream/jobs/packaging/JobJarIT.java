package io.paystream.jobs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployable jar is built the Flink way: connectors inside, Flink itself left to the cluster. */
class JobJarIT {

    @Test
    void bundlesConnectorsAndPaystreamButNoFlinkRuntimeClasses() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-job.jar in target/: run mvn package"));
        }
        List<String> entries = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().forEach(e -> entries.add(e.getName()));
        }
        assertThat(entries)
                .as("paystream and connectors are bundled")
                .anyMatch(e -> e.startsWith("io/paystream/jobs/"))
                .anyMatch(e -> e.startsWith("io/paystream/functions/"))
                .anyMatch(e -> e.startsWith("io/paystream/state/"))
                .anyMatch(e -> e.startsWith("org/apache/flink/connector/kafka/"))
                .anyMatch(e -> e.startsWith("org/elasticsearch/client/RestClient"))
                .anyMatch(e -> e.startsWith("org/apache/flink/cdc/connectors/mysql/"))
                .anyMatch(e -> e.startsWith("redis/clients/jedis/"));
        assertThat(entries)
                .as("Flink's own runtime comes from the cluster")
                .noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/"))
                .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
                .noneMatch(e -> e.startsWith("org/apache/flink/api/common/"))
                .noneMatch(e -> e.startsWith("org/apache/flink/configuration/"))
                .noneMatch(e -> e.startsWith("org/apache/logging/log4j/"))
                .noneMatch(e -> e.startsWith("org/slf4j/"))
                .noneMatch(e -> e.startsWith("org/apache/flink/shaded/"));
        assertThat(entries)
                .as("of Elasticsearch only the low-level REST client: no server, no Lucene (issue 15)")
                .noneMatch(e -> e.startsWith("org/elasticsearch/action/"))
                .noneMatch(e -> e.startsWith("org/elasticsearch/index/"))
                .noneMatch(e -> e.startsWith("org/apache/lucene/"));
        assertThat(entries)
                .as("no foreign platforms' native libraries, no unshaded Guava")
                .noneMatch(e -> e.startsWith("win/"))
                .noneMatch(e -> e.startsWith("freebsd/"))
                .noneMatch(e -> e.startsWith("com/google/common/"));
        assertThat(Files.size(jar))
                .as("the job jar stays under 40 MB: every submission uploads it")
                .isLessThan(40L * 1024 * 1024);
    }
}
