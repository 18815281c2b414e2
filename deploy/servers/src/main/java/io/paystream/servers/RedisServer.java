package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A real Redis 6.2 server (the binary bundled in embedded-redis), as a child process. */
public final class RedisServer implements AutoCloseable {
    private final redis.embedded.RedisServer server;
    private final int port;

    private RedisServer(redis.embedded.RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static RedisServer start(int preferredPort) {
        int port = FreePorts.pick(preferredPort);
        try {
            redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new RedisServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // best effort at shutdown
        }
    }
}
