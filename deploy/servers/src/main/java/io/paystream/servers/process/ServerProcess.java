package io.paystream.servers.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A server running as its own operating-system process, which a fault injector can kill ({@code
 * SIGKILL}), freeze ({@code SIGSTOP}) and thaw ({@code SIGCONT}), and start again with the same
 * command (same ports, same data directory). Output goes to a log file, appended across restarts.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final BooleanSupplier ready;
    private final Duration startTimeout;
    private Process process;

    /**
     * @param ready answers true once the server serves (e.g. a port accepts connections)
     */
    public ServerProcess(String name, List<String> command, Path log, BooleanSupplier ready, Duration startTimeout) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.ready = ready;
        this.startTimeout = startTimeout;
    }

    /** Starts the process and waits until it is ready; a process that exits first is an error naming its log. */
    public synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with status " + process.exitValue() + " while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready after " + startTimeout + "; see " + log);
            }
            pause(200);
        }
    }

    /** {@code kill -9}: no shutdown hook, no flush, whatever was in flight is cut. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        thaw(); // a frozen process dies of SIGKILL too, but its children are easier to reason about awake
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code kill -STOP}: the process keeps its sockets open but answers nothing, as a hung server does. */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** {@code kill -CONT}: a frozen process goes on where it stopped. */
    public synchronized void thaw() {
        signal("CONT");
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    private void signal(String signal) {
        if (!alive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The java launcher of this JVM, for servers that run as Java processes of their own. */
    public static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 20 s), thawing it first. */
    @Override
    public synchronized void close() {
        if (!alive()) {
            return;
        }
        thaw();
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
