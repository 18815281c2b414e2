package io.paystream.jobs.deploy;

import static io.paystream.jobs.deploy.DeploymentFiles.environment;
import static io.paystream.jobs.deploy.DeploymentFiles.flinkProperties;
import static io.paystream.jobs.deploy.DeploymentFiles.map;
import static io.paystream.jobs.deploy.DeploymentFiles.mounts;
import static io.paystream.jobs.deploy.DeploymentFiles.ports;
import static io.paystream.jobs.deploy.DeploymentFiles.service;
import static io.paystream.jobs.deploy.DeploymentFiles.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine or Kubernetes runs where paystream is built, so docker-compose.yml and the
 * FlinkDeployment manifests are kept honest here: their images are the stack's versions, their
 * ports and topics are the code's defaults, every setting they pass is one a job accepts (each job
 * is defined from them, as at submission), and state lives on volumes.
 */
class DeploymentFilesTest {
    private static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final List<String> MANIFESTS = List.of(
            "deploy/kubernetes/payments.yaml",
            "deploy/kubernetes/stock-ledger.yaml",
            "deploy/kubernetes/order-search.yaml",
            "deploy/kubernetes/reconciliation.yaml");

    private final Map<String, Object> compose = DeploymentFiles.yaml("docker-compose.yml");

    // --- images ------------------------------------------------------------------------------------

    @Test
    void composeImagesAreTheStacksVersions() {
        String flinkMinor = minor(DeploymentFiles.pomProperty("flink.version"));
        for (String s : List.of("jobmanager", "taskmanager", "sql-client", "sql-connectors", "flink-data-init")) {
            assertThat(image(s)).as(s).isEqualTo("flink:" + flinkMinor + "-java17");
        }
        assertThat(image("mysql")).matches("mysql:8\\.0(\\.\\d+)?");
        String kafkaMinor = minor(DeploymentFiles.pomProperty("kafka.version"));
        assertThat(image("kafka")).matches("apache/kafka:" + Pattern.quote(kafkaMinor) + "\\.\\d+");
        assertThat(image("topic-init")).isEqualTo(image("kafka"));
        assertThat(image("elasticsearch")).matches("docker\\.elastic\\.co/elasticsearch/elasticsearch:7\\.17\\.\\d+");
        assertThat(image("kibana"))
                .isEqualTo(image("elasticsearch").replace("elasticsearch/elasticsearch", "kibana/kibana"));
        assertThat(image("redis")).startsWith("redis:");
        assertThat(image("prometheus")).startsWith("prom/prometheus:");
    }

    @Test
    void kafkaRunsInKraftModeAndFitsTheTransactionalSinks() {
        Map<String, String> env = environment(service(compose, "kafka"));
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env)
                .containsKey("CLUSTER_ID")
                .containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("1");
        assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(Long.parseLong(env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS")))
                .as("the broker's transaction.max.timeout.ms is above the sinks' transaction timeout")
                .isGreaterThan(PaystreamOptions.KAFKA_TRANSACTION_TIMEOUT
                        .defaultValue()
                        .toMillis());
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
                .as("topics come from topic-init only")
                .isEqualTo("false");
    }

    @Test
    void kubernetesRunsTheComposeFlinkWithTheJobJar() {
        String dockerfile = DeploymentFiles.read("deploy/kubernetes/Dockerfile");
        assertThat(dockerfile).contains("FROM " + image("jobmanager") + "\n");
        Matcher copy = Pattern.compile("COPY (?:--chown=\\S+ )?(\\S+) (\\S+)").matcher(dockerfile);
        assertThat(copy.find()).as("Dockerfile copies the job jar").isTrue();
        assertThat(FileSystems.getDefault()
                        .getPathMatcher("glob:" + copy.group(1))
                        .matches(Path.of("jobs/target", DeploymentFiles.jobJarName())))
                .as(copy.group(1) + " is the build's " + DeploymentFiles.jobJarName())
                .isTrue();
        String version = DeploymentFiles.find("jobs/pom.xml", "<parent>[\\s\\S]*?<version>([^<]+)</version>");
        for (Map<String, Object> d : flinkDeployments()) {
            assertThat(value(d, "spec", "flinkVersion").toString())
                    .isEqualTo("v"
                            + minor(DeploymentFiles.pomProperty("flink.version"))
                                    .replace('.', '_'));
            assertThat(value(d, "spec", "image").toString()).endsWith(":" + version);
            assertThat(value(d, "spec", "job", "jarURI").toString()).isEqualTo("local://" + copy.group(2));
        }
    }

    // --- ports and endpoints -------------------------------------------------------------------------

    @Test
    void hostPortsAreTheJobsDefaults() {
        // A job started on the host with no settings at all reaches the compose servers.
        assertThat(ports(service(compose, "mysql"))).containsEntry(PaystreamOptions.MYSQL_PORT.defaultValue(), 3306);
        int kafkaPort = URI.create("kafka://" + PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS.defaultValue())
                .getPort();
        assertThat(ports(service(compose, "kafka"))).containsEntry(kafkaPort, kafkaPort);
        assertThat(environment(service(compose, "kafka")).get("KAFKA_ADVERTISED_LISTENERS"))
                .contains("//" + PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS.defaultValue());
        int esPort =
                URI.create(PaystreamOptions.ELASTICSEARCH_HOSTS.defaultValue()).getPort();
        assertThat(ports(service(compose, "elasticsearch"))).containsEntry(esPort, 9200);
        int redisPort = URI.create(PaystreamOptions.REDIS_URI.defaultValue()).getPort();
        assertThat(ports(service(compose, "redis"))).containsEntry(redisPort, 6379);
        assertThat(ports(service(compose, "jobmanager"))).containsEntry(8081, 8081);
    }

    @Test
    void theJobsInComposeReachEachServiceWhereItListens() {
        Settings s = JobRunner.settings(
                PaystreamJobs.named("order-search"),
                flinkProperties(service(compose, "jobmanager")),
                new String[0],
                environment(service(compose, "jobmanager")));
        assertThat(s.get(PaystreamOptions.MYSQL_HOSTNAME)).isEqualTo("mysql");
        assertThat(ports(service(compose, "mysql"))).containsValue(s.get(PaystreamOptions.MYSQL_PORT));
        Map<String, String> kafka = environment(service(compose, "kafka"));
        String bootstrap = s.get(PaystreamOptions.KAFKA_BOOTSTRAP_SERVERS);
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + bootstrap);
        assertThat(kafka.get("KAFKA_LISTENERS")).contains("//:" + bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertThat(environment(service(compose, "topic-init")).get("BOOTSTRAP_SERVERS"))
                .isEqualTo(bootstrap);
        URI es = URI.create(s.get(PaystreamOptions.ELASTICSEARCH_HOSTS));
        assertThat(es.getHost()).isEqualTo("elasticsearch");
        assertThat(ports(service(compose, "elasticsearch"))).containsValue(es.getPort());
        assertThat(environment(service(compose, "kibana")).get("ELASTICSEARCH_HOSTS"))
                .isEqualTo(es.toString());
        URI redis = URI.create(s.get(PaystreamOptions.REDIS_URI));
        assertThat(redis.getHost()).isEqualTo("redis");
        assertThat(ports(service(compose, "redis"))).containsValue(redis.getPort());

        // The SQL client's placeholders get the same values the jobs use.
        Map<String, String> sql = environment(service(compose, "sql-client"));
        Map<String, String> jobs = s.toConfiguration().toMap();
        sql.forEach((name, v) -> {
            if (name.startsWith(Settings.ENV_PREFIX)) {
                String key = keyOfEnv(name);
                assertThat(key).as(name + " names a setting").isNotNull();
                assertThat(v)
                        .as(name + " in sql-client equals the jobs' " + key)
                        .isEqualTo(jobs.getOrDefault(key, defaultOf(key)));
            }
        });
    }

    // --- topics ------------------------------------------------------------------------------------

    @Test
    void topicInitCreatesEveryTopicOfTheContractAndTheJobsDefaults() {
        Set<String> created = new TreeSet<>();
        for (String t :
                environment(service(compose, "topic-init")).get("TOPICS").trim().split("\\s+")) {
            String[] nameAndPartitions = t.split(":");
            assertThat(Integer.parseInt(nameAndPartitions[1])).as(t).isPositive();
            created.add(nameAndPartitions[0]);
        }
        Set<String> defaults = new TreeSet<>();
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            for (ConfigOption<?> o : JobRunner.options(job)) {
                if (o.key().startsWith("kafka.topic.")) {
                    defaults.add(String.valueOf(o.defaultValue()));
                }
            }
        }
        Set<String> contract = new TreeSet<>();
        String topicsSection = section(DeploymentFiles.read("docs/contract.md"), "## Kafka topics");
        topicsSection = topicsSection.substring(0, topicsSection.indexOf("\n### ")); // the table of topics
        Matcher row = Pattern.compile("(?m)^\\| `([a-z.-]+)` \\|").matcher(topicsSection);
        while (row.find()) {
            contract.add(row.group(1));
        }
        assertThat(defaults).hasSize(10);
        assertThat(created).as("topic-init").isEqualTo(defaults).isEqualTo(contract);
    }

    // --- Flink: state, metrics, configuration ---------------------------------------------------------

    @Test
    void composeFlinkKeepsRocksDbStateOnASharedVolume() {
        Map<String, String> jm = flinkProperties(service(compose, "jobmanager"));
        assertThat(flinkProperties(service(compose, "taskmanager"))).isEqualTo(jm);
        assertThat(jm)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true");
        for (String dirKey : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
            String dir = URI.create(jm.get(dirKey)).getPath();
            String volumeOfJm = volumeHolding(mounts(service(compose, "jobmanager")), dir);
            assertThat(volumeOfJm)
                    .as(dirKey + " " + dir + " is on a named volume of the JobManager")
                    .isNotNull()
                    .doesNotStartWith(".");
            assertThat(volumeOfJm)
                    .as("and the TaskManager mounts the same volume")
                    .isEqualTo(volumeHolding(mounts(service(compose, "taskmanager")), dir));
            assertThat(map(compose, "volumes")).containsKey(volumeOfJm);
            assertThat(mounts(service(compose, "flink-data-init"))).containsValue(volumeOfJm);
        }
    }

    @Test
    void prometheusScrapesTheReporterOnBothFlinkProcesses() {
        Map<String, String> jm = flinkProperties(service(compose, "jobmanager"));
        assertThat(jm).containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY);
        String port = jm.get("metrics.reporter.prom.port");
        Map<String, Object> prometheus = DeploymentFiles.yaml("deploy/prometheus/prometheus.yml");
        Set<String> scraped = new TreeSet<>();
        for (Map<String, Object> job : DeploymentFiles.<List<Map<String, Object>>>value(prometheus, "scrape_configs")) {
            if (!String.valueOf(job.get("job_name")).startsWith("flink-")) {
                continue; // the callback gateway's own /metrics (deploy/gateway checks its own files)
            }
            for (Map<String, Object> sd : DeploymentFiles.<List<Map<String, Object>>>value(job, "dns_sd_configs")) {
                assertThat(String.valueOf(sd.get("port"))).isEqualTo(port);
                scraped.addAll(DeploymentFiles.<List<String>>value(sd, "names"));
            }
        }
        assertThat(scraped).containsExactlyInAnyOrder("jobmanager", "taskmanager");
        assertThat(mounts(service(compose, "prometheus")))
                .containsEntry("/etc/prometheus/prometheus.yml", "./deploy/prometheus/prometheus.yml");

        for (Map<String, Object> d : flinkDeployments()) {
            Map<String, Object> conf = map(d, "spec", "flinkConfiguration");
            assertThat(conf)
                    .containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY)
                    .containsEntry("metrics.reporter.prom.port", port);
            assertThat(DeploymentFiles.<Object>value(
                            d, "spec", "podTemplate", "metadata", "annotations", "prometheus.io/port"))
                    .isEqualTo(port);
        }
    }

    @Test
    void flinkConfigurationKeysAreCurrentFlinkOptions() {
        Map<String, ConfigOption<?>> current = new HashMap<>();
        Set<String> deprecated = new HashSet<>();
        for (Class<?> holder : List.of(
                CoreOptions.class,
                JobManagerOptions.class,
                TaskManagerOptions.class,
                RestOptions.class,
                CheckpointingOptions.class,
                StateBackendOptions.class,
                StateRecoveryOptions.class,
                HighAvailabilityOptions.class,
                MetricOptions.class)) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        current.put(o.key(), o);
                        for (FallbackKey k : o.fallbackKeys()) {
                            if (k.isDeprecated()) {
                                deprecated.add(k.getKey());
                            }
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        Map<String, Map<String, ?>> configurations = new LinkedHashMap<>();
        configurations.put("docker-compose jobmanager", flinkProperties(service(compose, "jobmanager")));
        configurations.put("docker-compose sql-client", flinkProperties(service(compose, "sql-client")));
        for (int i = 0; i < MANIFESTS.size(); i++) {
            configurations.put(MANIFESTS.get(i), map(flinkDeployments().get(i), "spec", "flinkConfiguration"));
        }
        configurations.forEach((where, conf) -> conf.forEach((key, v) -> {
            assertThat(v)
                    .as(where + ": " + key + " is a string (FlinkDeployment.flinkConfiguration holds strings)")
                    .isInstanceOf(String.class);
            if (key.startsWith(Settings.FLINK_CONFIG_PREFIX)
                    || key.startsWith("metrics.reporter.")
                    || key.startsWith("kubernetes.operator.")) {
                return; // paystream's (loaded below), a reporter's own, the operator's
            }
            assertThat(deprecated)
                    .as(where + ": " + key + " is no deprecated key")
                    .doesNotContain(key);
            assertThat(current).as(where + ": " + key + " is a Flink option").containsKey(key);
        }));
    }

    // --- the jobs start from these settings ----------------------------------------------------------

    @Test
    void everyJobIsDefinedFromTheComposeSettings() {
        Map<String, String> flink = flinkProperties(service(compose, "jobmanager"));
        Map<String, String> env = environment(service(compose, "jobmanager"));
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            defineAsSubmitted(job, flink, new String[0], env);
        }
        env.keySet().stream()
                .filter(n -> n.startsWith(Settings.ENV_PREFIX))
                .forEach(n -> assertThat(keyOfEnv(n))
                        .as(n + " names a setting of a job")
                        .isNotNull());
    }

    @Test
    void theReadmeSubmitsEveryJobToComposeWithTheMountedJar() {
        String section = section(DeploymentFiles.read("README.md"), "## Running on docker-compose");
        String jarDir = mountPointOf(mounts(service(compose, "jobmanager")), "./jobs/target");
        assertThat(jarDir)
                .as("the JobManager mounts the build's target directory")
                .isNotNull();
        Map<String, String> flink = flinkProperties(service(compose, "jobmanager"));
        Map<String, String> env = environment(service(compose, "jobmanager"));
        Set<String> submitted = new TreeSet<>();
        Matcher run =
                Pattern.compile("docker compose exec jobmanager flink run (.*)").matcher(section);
        while (run.find()) {
            List<String> tokens =
                    new ArrayList<>(Arrays.asList(run.group(1).trim().split("\\s+")));
            String entryClass = null;
            String jar = null;
            List<String> args = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (jar != null) {
                    args.add(t);
                } else if (t.equals("-c")) {
                    entryClass = tokens.get(++i);
                } else if (t.equals("-s")) {
                    i++; // the savepoint path
                } else if (t.endsWith(".jar")) {
                    jar = t;
                }
            }
            assertThat(jar).as(run.group()).isEqualTo(jarDir + "/" + DeploymentFiles.jobJarName());
            PaystreamJob<?, ?> job = jobOfMain(entryClass);
            submitted.add(job.name());
            defineAsSubmitted(job, flink, args.toArray(new String[0]), env);
        }
        assertThat(submitted)
                .containsExactlyInAnyOrderElementsOf(
                        PaystreamJobs.all().stream().map(PaystreamJob::name).toList());
    }

    @Test
    void everyJobHasAFlinkDeploymentUpgradedThroughSavepoints() {
        Map<String, Object> shared = byKind(DeploymentFiles.yamlDocuments("deploy/kubernetes/shared.yaml"));
        Map<String, String> secrets = new TreeMap<>();
        DeploymentFiles.<Map<String, Object>>value(shared.get("Secret"), "stringData")
                .forEach((k, v) -> secrets.put(k, String.valueOf(v)));
        String claim = value(shared.get("PersistentVolumeClaim"), "metadata", "name");
        assertThat(DeploymentFiles.<List<String>>value(shared.get("PersistentVolumeClaim"), "spec", "accessModes"))
                .as("the JobManager and every TaskManager mount it")
                .contains("ReadWriteMany");

        Set<String> deployed = new TreeSet<>();
        for (Map<String, Object> d : flinkDeployments()) {
            assertThat(value(d, "apiVersion").toString()).isEqualTo("flink.apache.org/v1beta1");
            Map<String, Object> job = map(d, "spec", "job");
            assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
            PaystreamJob<?, ?> pj = jobOfMain((String) job.get("entryClass"));
            assertThat(value(d, "metadata", "name").toString()).isEqualTo("paystream-" + pj.name());
            deployed.add(pj.name());

            Map<String, Object> conf = map(d, "spec", "flinkConfiguration");
            assertThat(conf)
                    .containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("high-availability.type", "kubernetes");
            Map<String, Object> pod = map(d, "spec", "podTemplate", "spec");
            Map<String, Object> container = DeploymentFiles.<List<Map<String, Object>>>value(pod, "containers")
                    .get(0);
            assertThat(container.get("name")).isEqualTo("flink-main-container");
            Map<String, String> volumeOfMount = new HashMap<>();
            for (Map<String, Object> m : DeploymentFiles.<List<Map<String, Object>>>value(container, "volumeMounts")) {
                volumeOfMount.put((String) m.get("mountPath"), (String) m.get("name"));
            }
            for (String dirKey : List.of(
                    "execution.checkpointing.dir",
                    "execution.checkpointing.savepoint-dir",
                    "high-availability.storageDir")) {
                String dir = URI.create((String) conf.get(dirKey)).getPath();
                String volume = volumeHolding(volumeOfMount, dir);
                assertThat(volume)
                        .as(pj.name() + ": " + dirKey + " is on a mounted volume")
                        .isNotNull();
                Map<String, Object> v = DeploymentFiles.<List<Map<String, Object>>>value(pod, "volumes").stream()
                        .filter(x -> volume.equals(x.get("name")))
                        .findFirst()
                        .orElseThrow();
                assertThat(value(v, "persistentVolumeClaim", "claimName").toString())
                        .isEqualTo(claim);
            }
            assertThat(value(pod, "securityContext", "fsGroup").toString())
                    .as("flink (9999) may write the volume")
                    .isEqualTo("9999");
            Map<String, Object> secretRef = DeploymentFiles.<List<Map<String, Object>>>value(container, "envFrom")
                    .get(0);
            assertThat(value(secretRef, "secretRef", "name").toString())
                    .isEqualTo(value(shared.get("Secret"), "metadata", "name"));

            Map<String, String> flink = new TreeMap<>();
            conf.forEach((k, v) -> flink.put(k, String.valueOf(v)));
            List<String> args = DeploymentFiles.<List<Object>>value(job, "args").stream()
                    .map(String::valueOf)
                    .toList();
            defineAsSubmitted(pj, flink, args.toArray(new String[0]), secrets);
        }
        assertThat(deployed)
                .containsExactlyInAnyOrderElementsOf(
                        PaystreamJobs.all().stream().map(PaystreamJob::name).toList());
        secrets.keySet()
                .forEach(n -> assertThat(keyOfEnv(n)).as(n + " names a setting").isNotNull());
    }

    @Test
    void theJobsServerIdRangesDoNotOverlapEachOtherOrTheServer() throws Exception {
        long serverId = Long.parseLong(DeploymentFiles.find("deploy/mysql/my.cnf", "(?m)^server-id\\s*=\\s*(\\d+)"));
        Map<String, long[]> defaults = new LinkedHashMap<>();
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            defaults.put(job.name(), range((String)
                    job.getClass().getField("SERVER_IDS").get(null)));
        }
        Map<String, long[]> onKubernetes = new LinkedHashMap<>(defaults);
        for (Map<String, Object> d : flinkDeployments()) {
            List<String> args = DeploymentFiles.<List<Object>>value(d, "spec", "job", "args").stream()
                    .map(String::valueOf)
                    .toList();
            int i = args.indexOf("--mysql.server-id");
            if (i >= 0) {
                onKubernetes.put(
                        jobOfMain(value(d, "spec", "job", "entryClass")).name(), range(args.get(i + 1)));
            }
        }
        for (Map<String, long[]> ranges : List.of(defaults, onKubernetes)) {
            ranges.put("MySQL itself (my.cnf server-id)", new long[] {serverId, serverId});
            List<String> names = new ArrayList<>(ranges.keySet());
            for (int a = 0; a < names.size(); a++) {
                for (int b = a + 1; b < names.size(); b++) {
                    long[] x = ranges.get(names.get(a));
                    long[] y = ranges.get(names.get(b));
                    assertThat(x[1] < y[0] || y[1] < x[0])
                            .as(names.get(a) + " " + Arrays.toString(x) + " overlaps " + names.get(b) + " "
                                    + Arrays.toString(y))
                            .isTrue();
                }
            }
        }
    }

    // --- MySQL, secrets, SQL client -------------------------------------------------------------------

    @Test
    void mysqlGetsTheContractsBinlogSettingsSchemaAndGrants() {
        Map<String, String> mounts = mounts(service(compose, "mysql"));
        assertThat(mounts)
                .containsEntry("/etc/mysql/conf.d/paystream.cnf", "./deploy/mysql/my.cnf")
                .containsEntry("/docker-entrypoint-initdb.d/10-schema.sql", "./deploy/mysql/schema.sql")
                .containsEntry("/docker-entrypoint-initdb.d/20-grants.sh", "./deploy/mysql/docker-grants.sh")
                .containsEntry("/paystream/grants.sql", "./deploy/mysql/grants.sql");
        String cnf = DeploymentFiles.read("deploy/mysql/my.cnf");
        assertThat(cnf)
                .containsPattern("(?m)^binlog-format\\s*=\\s*ROW")
                .containsPattern("(?m)^binlog-row-image\\s*=\\s*FULL");
        // Sourced by the image's entrypoint (not executed), so docker_process_sql is defined.
        assertThat(Files.isExecutable(DeploymentFiles.ROOT.resolve("deploy/mysql/docker-grants.sh")))
                .isFalse();
        String grantsScript = DeploymentFiles.read("deploy/mysql/docker-grants.sh");
        String grants = DeploymentFiles.read("deploy/mysql/grants.sql");
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(grants);
        while (placeholder.find()) {
            assertThat(grantsScript)
                    .as("docker-grants.sh fills " + placeholder.group())
                    .contains("'" + placeholder.group() + "'");
        }
        Map<String, String> env = environment(service(compose, "mysql"));
        assertThat(env.get("PAYSTREAM_MYSQL_PASSWORD"))
                .as("the CDC user's password is the jobs'")
                .isEqualTo(environment(service(compose, "jobmanager")).get("PAYSTREAM_MYSQL_PASSWORD"));
        for (String mounted : List.of("mysql", "jobmanager", "prometheus", "sql-connectors", "sql-client")) {
            mounts(service(compose, mounted)).values().stream()
                    .filter(src -> src.startsWith("./") && !src.contains("target"))
                    .forEach(src -> assertThat(DeploymentFiles.ROOT.resolve(src))
                            .as(mounted + " mounts " + src)
                            .exists());
        }
    }

    @Test
    void secretsComeFromTheEnvironmentOnly() {
        String raw = DeploymentFiles.read("docker-compose.yml");
        Set<String> secretEnvNames = new TreeSet<>();
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            JobRunner.options(job).stream()
                    .filter(Settings::isSecret)
                    .forEach(o -> secretEnvNames.add(Settings.envName(o.key())));
        }
        secretEnvNames.add("MYSQL_ROOT_PASSWORD");
        secretEnvNames.add("SHOP_PASSWORD");
        Matcher assignment =
                Pattern.compile("(?m)^\\s+([A-Z][A-Z0-9_]+): (.*)$").matcher(raw);
        int checked = 0;
        while (assignment.find()) {
            if (secretEnvNames.contains(assignment.group(1))) {
                checked++;
                assertThat(assignment.group(2))
                        .as(assignment.group(1) + " comes from the environment or .env")
                        .matches("\\$\\{" + assignment.group(1) + ":-[^}]*}");
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
        assertThat(DeploymentFiles.read(".env.example")).contains(secretEnvNames.toArray(new String[0]));
    }

    @Test
    void theSqlClientFillsTheCatalogAndUsesTheBuildsConnectorVersions() {
        Map<String, Object> client = service(compose, "sql-client");
        List<String> command = value(client, "command");
        assertThat(String.join(" ", command))
                .contains(
                        "envsubst < /sql/catalog.sql > /tmp/catalog.sql && sql-client.sh -l /opt/sql-connectors -i /tmp/catalog.sql");
        assertThat(mounts(client))
                .containsEntry("/sql", "./sql")
                .containsEntry("/opt/sql-connectors", "sql-connectors");
        Set<String> placeholders = new TreeSet<>(List.of(
                "PAYSTREAM_MYSQL_HOSTNAME",
                "PAYSTREAM_MYSQL_PORT",
                "PAYSTREAM_MYSQL_DATABASE",
                "PAYSTREAM_MYSQL_USERNAME",
                "PAYSTREAM_MYSQL_PASSWORD",
                "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                "PAYSTREAM_ELASTICSEARCH_HOSTS"));
        Path catalog = DeploymentFiles.ROOT.resolve("sql/catalog.sql");
        if (Files.exists(catalog)) {
            Matcher m =
                    Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(DeploymentFiles.read("sql/catalog.sql"));
            while (m.find()) {
                placeholders.add(m.group(1));
            }
        }
        assertThat(environment(client)).containsKeys(placeholders.toArray(new String[0]));

        Map<String, String> connectors = new TreeMap<>();
        for (String c : environment(service(compose, "sql-connectors"))
                .get("SQL_CONNECTORS")
                .trim()
                .split("\\s+")) {
            String[] gav = c.split(":");
            connectors.put(gav[1], gav[2]);
        }
        assertThat(connectors)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "flink-sql-connector-mysql-cdc", DeploymentFiles.pomProperty("flink.cdc.version"),
                        "mysql-connector-java", DeploymentFiles.pomProperty("mysql.jdbc.version"),
                        "flink-sql-connector-kafka", DeploymentFiles.pomProperty("flink.kafka.connector.version"),
                        "flink-sql-connector-elasticsearch7",
                                DeploymentFiles.pomProperty("flink.es.connector.version")));
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** What submission does before anything runs: load every layer, then wire the job. */
    private static void defineAsSubmitted(
            PaystreamJob<?, ?> job,
            Map<String, String> flinkConfiguration,
            String[] args,
            Map<String, String> environment) {
        Settings settings = JobRunner.settings(job, flinkConfiguration, args, environment);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(job, settings, env);
        assertThat(env.getStreamGraph().getStreamNodes())
                .as(job.name() + " is wired")
                .isNotEmpty();
    }

    private static PaystreamJob<?, ?> jobOfMain(String className) {
        try {
            Class<?> c = Class.forName(className);
            Method main = c.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers()))
                    .as(className + ".main is static")
                    .isTrue();
            assertThat(PaystreamJob.class.isAssignableFrom(c))
                    .as(className + " is a PaystreamJob")
                    .isTrue();
            PaystreamJob<?, ?> job =
                    (PaystreamJob<?, ?>) c.getDeclaredConstructor().newInstance();
            assertThat(PaystreamJobs.named(job.name()).getClass()).isEqualTo(c);
            return job;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className + " is no job main: " + e, e);
        }
    }

    private List<Map<String, Object>> flinkDeployments() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String m : MANIFESTS) {
            Map<String, Object> d = DeploymentFiles.yaml(m);
            assertThat(d.get("kind")).as(m).isEqualTo("FlinkDeployment");
            out.add(d);
        }
        return out;
    }

    private static Map<String, Object> byKind(List<Map<String, Object>> docs) {
        Map<String, Object> out = new HashMap<>();
        docs.forEach(d -> out.put((String) d.get("kind"), d));
        return out;
    }

    private String image(String service) {
        return value(service(compose, service), "image");
    }

    /** The source of the mount whose container path holds {@code path}, or null. */
    private static String volumeHolding(Map<String, String> mountToSource, String path) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> m : mountToSource.entrySet()) {
            String mount = m.getKey().endsWith("/") ? m.getKey() : m.getKey() + "/";
            if ((path + "/").startsWith(mount) && mount.length() > bestLength) {
                best = m.getValue();
                bestLength = mount.length();
            }
        }
        return best;
    }

    private static String mountPointOf(Map<String, String> mountToSource, String source) {
        return mountToSource.entrySet().stream()
                .filter(e -> e.getValue().equals(source))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    private static String keyOfEnv(String envName) {
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            for (ConfigOption<?> o : JobRunner.options(job)) {
                if (Settings.envName(o.key()).equals(envName)) {
                    return o.key();
                }
            }
        }
        return null;
    }

    private static String defaultOf(String key) {
        for (PaystreamJob<?, ?> job : PaystreamJobs.all()) {
            for (ConfigOption<?> o : JobRunner.options(job)) {
                if (o.key().equals(key) && o.hasDefaultValue()) {
                    return String.valueOf(o.defaultValue());
                }
            }
        }
        return null;
    }

    private static long[] range(String r) {
        String[] parts = r.split("-");
        return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[parts.length - 1].trim())};
    }

    private static String minor(String version) {
        String[] p = version.split("\\.");
        return p[0] + "." + p[1];
    }

    /** The text of a markdown section, from its heading to the next heading of the same level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("a section '" + heading + "'").isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = markdown.indexOf("\n" + level, start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
