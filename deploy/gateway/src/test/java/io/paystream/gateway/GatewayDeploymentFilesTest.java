package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * No Docker engine or Kubernetes runs where paystream is built: the gateway's service in
 * docker-compose.yml, its Prometheus scrape, its Kubernetes manifest and its Dockerfile are kept
 * honest here against the code (settings it accepts, its port, the jar the build makes).
 */
class GatewayDeploymentFilesTest {
    private static final Path ROOT = root();
    private static final String VERSION =
            find("deploy/gateway/pom.xml", "<parent>[\\s\\S]*?<version>([^<]+)</version>");
    private static final String JAR = "paystream-gateway-" + VERSION + "-app.jar";

    @Test
    void composeRunsTheBuildsGatewayJarWithSettingsItAccepts() {
        Map<String, Object> compose = yaml("docker-compose.yml");
        Map<String, Object> gateway = map(map(compose, "services"), "gateway");
        List<String> command = list(gateway, "command");
        assertThat(command).contains("-jar");
        String jar = command.get(command.indexOf("-jar") + 1);
        assertThat(Path.of(jar).getFileName().toString()).isEqualTo(JAR);
        String mount = mountOf(gateway, Path.of(jar).getParent().toString());
        assertThat(mount).isEqualTo("./deploy/gateway/target");

        Map<String, String> env = environment(gateway);
        GatewaySettings s = GatewaySettings.load(new String[0], env);
        env.keySet()
                .forEach(n -> assertThat(GatewayOptions.ALL.stream()
                                .anyMatch(o -> o.envName().equals(n)))
                        .as(n + " is a gateway setting")
                        .isTrue());
        int port = s.get(GatewayOptions.PORT);
        assertThat(list(gateway, "ports")).contains(port + ":" + port);
        String kafkaListeners =
                environment(map(map(compose, "services"), "kafka")).get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(kafkaListeners).contains("//" + s.get(GatewayOptions.KAFKA_BOOTSTRAP_SERVERS));
        assertThat(String.join(" ", list(map(gateway, "healthcheck"), "test")))
                .contains("/dev/tcp/127.0.0.1/" + port)
                .contains("GET /health");
        assertThat(durationOf(String.valueOf(gateway.get("stop_grace_period"))))
                .as("docker stop waits for the requests in flight")
                .isGreaterThan(s.get(GatewayOptions.SHUTDOWN_TIMEOUT));

        Map<String, Object> prometheus = yaml("deploy/prometheus/prometheus.yml");
        List<Object> targets = new ArrayList<>();
        for (Map<String, Object> job : this.<List<Map<String, Object>>>get(prometheus, "scrape_configs")) {
            if ("/metrics".equals(job.get("metrics_path")) && job.containsKey("static_configs")) {
                for (Map<String, Object> sc : this.<List<Map<String, Object>>>get(job, "static_configs")) {
                    targets.addAll(list(sc, "targets"));
                }
            }
        }
        assertThat(targets).contains("gateway:" + port);
    }

    @Test
    void kubernetesRunsTheGatewayImageBehindAServiceWithProbesAndTimeForItsShutdown() {
        List<Map<String, Object>> docs = yamlDocuments("deploy/kubernetes/gateway.yaml");
        Map<String, Object> deployment = kind(docs, "Deployment");
        Map<String, Object> service = kind(docs, "Service");
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> container =
                this.<List<Map<String, Object>>>get(pod, "containers").get(0);
        assertThat(String.valueOf(container.get("image"))).endsWith(":" + VERSION);

        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : this.<List<Map<String, Object>>>get(container, "env")) {
            env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
        }
        GatewaySettings s = GatewaySettings.load(new String[0], env);
        int port = s.get(GatewayOptions.PORT);
        Map<String, Object> containerPort =
                this.<List<Map<String, Object>>>get(container, "ports").get(0);
        assertThat(containerPort).containsEntry("containerPort", port).containsEntry("name", "http");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(map(map(container, probe), "httpGet"))
                    .containsEntry("path", "/health")
                    .containsEntry("port", "http");
        }
        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
        assertThat(Duration.ofSeconds(grace))
                .as("SIGTERM, then the requests in flight are answered before the kill")
                .isGreaterThan(s.get(GatewayOptions.SHUTDOWN_TIMEOUT).plusSeconds(5));

        Map<String, Object> sp = this.<List<Map<String, Object>>>get(map(service, "spec"), "ports")
                .get(0);
        assertThat(sp).containsEntry("targetPort", "http");
        assertThat(map(map(service, "spec"), "selector"))
                .isEqualTo(map(map(map(deployment, "spec"), "selector"), "matchLabels"));
        assertThat(map(map(map(deployment, "spec"), "template"), "metadata"))
                .extracting(m -> map(m, "annotations"))
                .satisfies(a -> assertThat(a).containsEntry("prometheus.io/port", String.valueOf(port)));
    }

    @Test
    void theDockerfileCopiesTheBuildsGatewayJar() {
        String dockerfile = read("deploy/gateway/Dockerfile");
        Matcher copy = Pattern.compile("COPY (\\S+) (\\S+)").matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        assertThat(FileSystems.getDefault()
                        .getPathMatcher("glob:" + copy.group(1))
                        .matches(Path.of("deploy/gateway/target", JAR)))
                .as(copy.group(1) + " is the build's " + JAR)
                .isTrue();
        assertThat(dockerfile).contains("\"-jar\", \"" + copy.group(2) + "\"");
    }

    @Test
    void theReadmeDocumentsEverySettingWithItsDefault() {
        String all = read("README.md");
        int start = all.indexOf("\n## The callback gateway");
        assertThat(start).as("README has a section '## The callback gateway'").isNotNegative();
        int end = all.indexOf("\n## ", start + 5);
        String readme = all.substring(start, end < 0 ? all.length() : end);
        for (GatewayOption<?> o : GatewayOptions.ALL) {
            String row = readme.lines()
                    .filter(l -> l.startsWith("| `" + o.key() + "`")
                            || l.startsWith("| `channel.") && l.contains("`" + o.key() + "`"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("README's gateway settings table has no row for " + o.key()));
            String shown = o.defaultValue() == null
                    ? "(unset)"
                    : o.defaultValue().isEmpty() ? "(empty)" : "`" + o.defaultValue() + "`";
            assertThat(row).as(o.key()).contains("| " + shown + " |");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        return p;
    }

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String find(String relative, String regex) {
        Matcher m = Pattern.compile(regex).matcher(read(relative));
        assertThat(m.find()).as(regex + " in " + relative).isTrue();
        return m.group(1);
    }

    private static Yaml parser() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static Map<String, Object> yaml(String relative) {
        return parser().load(read(relative));
    }

    private static List<Map<String, Object>> yamlDocuments(String relative) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object d : parser().loadAll(read(relative))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) d;
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream()
                .filter(d -> kind.equals(d.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Map<String, Object> m, String key) {
        assertThat(m).containsKey(key);
        return (T) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertThat(m).containsKey(key);
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> m, String key) {
        assertThat(m).containsKey(key);
        return (List<T>) m.get(key);
    }

    /** Compose's environment as a start without .env sees it: {@code ${X:-d}} is d. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service, "environment")
                .forEach((k, v) -> env.put(k, String.valueOf(v).replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1")));
        return env;
    }

    private static String mountOf(Map<String, Object> service, String containerPath) {
        for (Object v : list(service, "volumes")) {
            String[] parts = String.valueOf(v).split(":");
            if (parts[1].equals(containerPath)) {
                return parts[0];
            }
        }
        return null;
    }

    private static Duration durationOf(String compose) {
        Matcher m = Pattern.compile("(\\d+)s").matcher(compose);
        assertThat(m.matches()).as(compose).isTrue();
        return Duration.ofSeconds(Long.parseLong(m.group(1)));
    }
}
