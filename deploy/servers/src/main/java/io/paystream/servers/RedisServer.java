package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A real Redis 6.2 server (the binary bundled in embedded-redis), as a child process. */
public final class RedisServer implements AutoCloseable {
    private redis.embedded.RedisServer server;
    private final int port;

    private RedisServer(redis.embedded.RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static RedisServer start(int preferredPort) {
        int port = FreePorts.pick(preferredPort);
        return new RedisServer(launch(port), port);
    }

    private static redis.embedded.RedisServer launch(int port) {
        try {
            redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start on port " + port, e);
        }
    }

    /** Stops the server, as a crash would: no persistence, so every key is gone. */
    public synchronized void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not stop on port " + port, e);
        }
    }

    /**
     * {@code kill -9} of the server process, as a crash: no persistence, so every key is gone.
     * The process is found among this JVM's descendants by its binary and port.
     */
    public synchronized void kill() {
        String portText = String.valueOf(port);
        ProcessHandle.current()
                .descendants()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("redis-server") && c.contains(portText))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        try {
            server.stop(); // releases what the embedded server object holds; the process is gone already
        } catch (IOException | RuntimeException e) {
            // already dead: nothing to stop
        }
    }

    /** Starts a stopped server again on the same port (and empty, with a new run_id). */
    public synchronized void startAgain() {
        server = launch(port);
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // best effort at shutdown
        }
    }
}
