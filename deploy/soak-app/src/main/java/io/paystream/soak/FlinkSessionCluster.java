package io.paystream.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.servers.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code deploy/cluster} session cluster as the soak drives it: the script starts, submits,
 * stops with savepoints and restarts processes (so the soak exercises what users run), and the
 * JobManager's REST API says what runs and which checkpoints completed.
 */
final class FlinkSessionCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private final Path root;
    private final Path dir;
    private final int restPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One job as the REST API lists it. */
    record JobState(String id, String name, String state, int tasksRunning, int tasksTotal) {
        boolean fullyRunning() {
            return "RUNNING".equals(state) && tasksTotal > 0 && tasksRunning == tasksTotal;
        }
    }

    /**
     * One TaskManager the script started and that still runs: its name ({@code taskmanager},
     * {@code taskmanager-2}, ...), pid, resource id, and its slots as REST lists them (-1: not
     * registered).
     */
    record TaskManager(String name, long pid, String resourceId, int slots, int freeSlots) {
        int usedSlots() {
            return slots < 0 ? 0 : slots - freeSlots;
        }
    }

    FlinkSessionCluster(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
        this.restPort = FreePorts.pick(0);
    }

    /**
     * Starts the cluster with two TaskManagers, each with slots and memory enough for every job
     * alone (the jobs run at parallelism 1, payments at 2 after a rescale): the second is the
     * standby, so when one dies the jobs restart at once on the other's free slots instead of
     * waiting for a new TaskManager JVM.
     */
    void start(boolean ha) {
        List<String> args = new ArrayList<>(List.of(
                "start",
                "--port",
                String.valueOf(restPort),
                "--taskmanagers",
                "2",
                "--slots",
                "6",
                "--taskmanager-memory",
                "2560m",
                "--prometheus-port",
                String.valueOf(FreePorts.pick(0))));
        if (ha) {
            args.add("--ha");
        }
        script(Duration.ofMinutes(3), args.toArray(new String[0]));
    }

    /** Submits a paystream job ({@code payments}, ...) with a settings file; returns its job id. */
    String submit(String job, Path settingsFile, String savepoint, int parallelism) {
        List<String> args = new ArrayList<>(List.of("submit", job));
        if (savepoint != null) {
            args.add("--from-savepoint");
            args.add(savepoint);
        }
        args.addAll(List.of("--config", settingsFile.toString(), "--parallelism", String.valueOf(parallelism)));
        String out = script(Duration.ofMinutes(3), args.toArray(new String[0]));
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no job id in the answer to submitting " + job + ": " + out);
        }
        return m.group(1);
    }

    /** Stops a job with a savepoint; returns the savepoint's path. */
    String stopWithSavepoint(String job) {
        String out = script(Duration.ofMinutes(5), "stop-job", job);
        for (String line : out.split("\n")) {
            if (line.startsWith("savepoint: ")) {
                return line.substring("savepoint: ".length()).trim();
            }
        }
        throw new IllegalStateException("no savepoint path in: " + out);
    }

    /**
     * Kills ({@code kill -9}) the TaskManager with the most used slots, the one running tasks (the
     * worst case: the jobs on it restart, on the other one's free slots); returns it.
     */
    TaskManager killBusiestTaskManager() {
        List<TaskManager> running = taskManagers();
        if (running.isEmpty()) {
            throw new IllegalStateException("no TaskManager runs in " + dir);
        }
        TaskManager busiest = running.get(0);
        for (TaskManager tm : running) {
            if (tm.usedSlots() > busiest.usedSlots()) {
                busiest = tm;
            }
        }
        ProcessHandle.of(busiest.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        return busiest;
    }

    /**
     * Starts one more TaskManager (it takes a dead one's name) and waits until it registered. A
     * second try if it exits while starting: on a machine overloaded by others a TaskManager JVM
     * was seen to give up creating its RPC actor system (Pekko's 10 s timeout), which says nothing
     * about the jobs' recovery.
     */
    void startTaskManager() {
        try {
            script(Duration.ofMinutes(3), "start-taskmanager");
        } catch (IllegalStateException e) {
            Soak.say("starting a TaskManager failed, trying once more: " + e.getMessage());
            script(Duration.ofMinutes(3), "start-taskmanager");
        }
    }

    /** The TaskManagers alive now (pid files of {@code deploy/cluster}), with their slots from REST. */
    List<TaskManager> taskManagers() {
        Map<String, int[]> slots = new LinkedHashMap<>();
        JsonNode rest = get("/taskmanagers");
        if (rest != null) {
            rest.path("taskmanagers")
                    .forEach(t -> slots.put(t.path("id").asText(), new int[] {
                        t.path("slotsNumber").asInt(-1), t.path("freeSlots").asInt(-1)
                    }));
        }
        List<TaskManager> running = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path pidFile : files.filter(f -> f.getFileName().toString().matches("taskmanager(-\\d+)?\\.pid"))
                    .sorted()
                    .toList()) {
                String name = pidFile.getFileName().toString().replace(".pid", "");
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Path idFile = dir.resolve(name + ".id");
                String id = Files.exists(idFile) ? Files.readString(idFile).trim() : "";
                int[] s = slots.getOrDefault(id, new int[] {-1, -1});
                running.add(new TaskManager(name, pid, id, s[0], s[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the TaskManagers in " + dir, e);
        }
        return running;
    }

    void killJobManager() {
        killPidFile("jobmanager");
    }

    void startJobManager() {
        script(Duration.ofMinutes(3), "start-jobmanager");
    }

    private void killPidFile(String name) {
        try {
            long pid =
                    Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("no pid file of the " + name + " in " + dir, e);
        }
    }

    /** The cluster's paystream jobs by name ({@code paystream payments}), newest submission first. */
    Map<String, JobState> jobs() {
        Map<String, JobState> byName = new LinkedHashMap<>();
        JsonNode overview = get("/jobs/overview");
        if (overview == null) {
            return byName;
        }
        List<JsonNode> jobs = new ArrayList<>();
        overview.path("jobs").forEach(jobs::add);
        jobs.sort((a, b) ->
                Long.compare(b.path("start-time").asLong(), a.path("start-time").asLong()));
        for (JsonNode j : jobs) {
            String name = j.path("name").asText();
            int paren = name.indexOf(" (");
            String key = paren > 0 ? name.substring(0, paren) : name;
            byName.putIfAbsent(
                    key,
                    new JobState(
                            j.path("jid").asText(),
                            key,
                            j.path("state").asText(),
                            j.path("tasks").path("running").asInt(),
                            j.path("tasks").path("total").asInt()));
        }
        return byName;
    }

    /** When the job's latest completed checkpoint was triggered (epoch ms), or -1. */
    long latestCheckpointTriggeredAt(String jobId) {
        JsonNode c = get("/jobs/" + jobId + "/checkpoints");
        if (c == null) {
            return -1;
        }
        JsonNode latest = c.path("latest").path("completed");
        return latest.isMissingNode() || latest.isNull()
                ? -1
                : latest.path("trigger_timestamp").asLong(-1);
    }

    /** Restarts of the job so far (Flink's numRestarts), or -1 when unknown. */
    long restarts(String jobId) {
        JsonNode m = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        if (m == null || !m.isArray() || m.isEmpty()) {
            return -1;
        }
        return m.get(0).path("value").asLong(-1);
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null; // the JobManager is down or restarting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String webUi() {
        return "http://localhost:" + restPort;
    }

    Path dir() {
        return dir;
    }

    private String script(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("deploy/cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PAYSTREAM_CLUSTER_DIR", dir.toString());
        pb.environment().put("PAYSTREAM_CLUSTER_NO_BUILD", "1");
        // Flink's client (submit, stop-job, list) runs seconds: the JIT's quick tier is enough and
        // takes a third less CPU than both tiers (measured: 2.5 s against 3.7 s for a submission's main).
        pb.environment().put("PAYSTREAM_CLUSTER_CLIENT_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("deploy/cluster " + String.join(" ", args) + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "deploy/cluster " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run deploy/cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            script(Duration.ofMinutes(2), "stop");
        } catch (RuntimeException e) {
            System.err.println("soak: stopping the cluster failed: " + e.getMessage());
        }
    }
}
