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
