package io.paystream.jobs.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml, the Kubernetes manifests and the build files as the tests read them: YAML
 * parsed with SnakeYAML, compose's {@code ${VAR:-default}} resolved to its default (what a start
 * without an .env file gets), and FLINK_PROPERTIES split the way the Flink image's entrypoint does.
 */
final class DeploymentFiles {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:-([^}]*))?}");

    private DeploymentFiles() {}

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + relative + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relative) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(read(relative));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String relative) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(relative))) {
            docs.add((Map<String, Object>) d);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object parent, String... path) {
        Object cur = parent;
        for (String p : path) {
            if (!(cur instanceof Map) || !((Map<String, Object>) cur).containsKey(p)) {
                throw new AssertionError("no '" + String.join(".", path) + "' (missing at '" + p + "')");
            }
            cur = ((Map<String, Object>) cur).get(p);
        }
        return (Map<String, Object>) cur;
    }

    @SuppressWarnings("unchecked")
    static <T> T value(Object parent, String... path) {
        Object cur = parent;
        for (String p : path) {
            if (!(cur instanceof Map) || !((Map<String, Object>) cur).containsKey(p)) {
                throw new AssertionError("no '" + String.join(".", path) + "' (missing at '" + p + "')");
            }
            cur = ((Map<String, Object>) cur).get(p);
        }
        return (T) cur;
    }

    /** Compose interpolation as a start without .env sees it: {@code ${X:-d}} is d, {@code $$} is $. */
    static String interpolate(String raw) {
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2) == null) {
                throw new AssertionError("${" + m.group(1) + "} has no default: docker compose up would need it set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** The docker-compose.yml service. */
    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return map(compose, "services", name);
    }

    /** A service's environment, interpolated (compose allows a map or a list of NAME=value). */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map) {
            ((Map<String, Object>) e).forEach((k, v) -> env.put(k, v == null ? "" : interpolate(String.valueOf(v))));
        } else if (e instanceof List) {
            for (Object line : (List<Object>) e) {
                String s = String.valueOf(line);
                int eq = s.indexOf('=');
                env.put(s.substring(0, eq), interpolate(s.substring(eq + 1)));
            }
        }
        return env;
    }

    /**
     * FLINK_PROPERTIES as the Flink image's entrypoint turns it into configuration: each line with
     * every blank removed, split at its first colon.
     */
    static Map<String, String> flinkProperties(Map<String, Object> service) {
        Map<String, String> conf = new LinkedHashMap<>();
        String text = environment(service).get("FLINK_PROPERTIES");
        if (text == null) {
            throw new AssertionError("service has no FLINK_PROPERTIES");
        }
        for (String line : text.split("\n")) {
            String prop = line.replaceAll("\\s", "");
            if (prop.isEmpty()) {
                continue;
            }
            int colon = prop.indexOf(':');
            conf.put(prop.substring(0, colon), prop.substring(colon + 1));
        }
        return conf;
    }

    /** A service's volumes as container path to source (a named volume or a ./ host path). */
    @SuppressWarnings("unchecked")
    static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(v).split(":");
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    /** Published ports of a service as host port to container port. */
    @SuppressWarnings("unchecked")
    static Map<Integer, Integer> ports(Map<String, Object> service) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (Object p : (List<Object>) service.getOrDefault("ports", List.of())) {
            String[] parts = String.valueOf(p).split(":");
            out.put(Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1]));
        }
        return out;
    }

    /** The first group of {@code regex} in a build file, e.g. a property of pom.xml. */
    static String find(String relative, String regex) {
        Matcher m = Pattern.compile(regex).matcher(read(relative));
        if (!m.find()) {
            throw new AssertionError(relative + " has nothing matching " + regex);
        }
        return m.group(1);
    }

    static String pomProperty(String name) {
        return find("pom.xml", "<" + Pattern.quote(name) + ">([^<]+)</");
    }

    /** The deployable jar's file name as the build makes it: artifactId-version-classifier.jar. */
    static String jobJarName() {
        String artifactId = find("jobs/pom.xml", "</parent>\\s*<artifactId>([^<]+)</artifactId>");
        String version = find("jobs/pom.xml", "<parent>[\\s\\S]*?<version>([^<]+)</version>");
        String classifier = find("jobs/pom.xml", "<shadedClassifierName>([^<]+)</shadedClassifierName>");
        return artifactId + "-" + version + "-" + classifier + ".jar";
    }
}
