package io.paystream.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.paystream.functions.callbacks.AddressRules;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection, on its event loop (never blocked: Kafka's outcome arrives by callback).
 * One request at a time: while a notification waits for Kafka the connection reads nothing more,
 * so answers keep their order and a client cannot pile up work. Limits are answered early, before
 * the body is read: 403 (address rules), 413 (body size), 503 (requests in flight, shutting down);
 * 408 when the headers or the body take too long.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    static final Object DRAIN = new Object();

    private enum State {
        /** Between requests: the idle (or first-request) timer runs. */
        IDLE,
        /** A request's first bytes arrived: the header timer runs. */
        HEADERS,
        /** A notification's body is being read: the read timer runs. */
        BODY,
        /** A GET whose (empty) body is being read. */
        GET,
        /** Waiting for Kafka; reading stopped. */
        WAITING,
        /** Answered early; the connection closes after the answer. */
        CLOSING
    }

    private final CallbackGateway gateway;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;
    private final long maxBody;
    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private ScheduledFuture<?> timer;
    private boolean inFlightHeld;
    private boolean keepAlive;
    /** A client sent its next request before this one was answered: close after answering. */
    private boolean pipelined;

    private Endpoint endpoint;
    private String getPath;
    private CompositeByteBuf body;
    private long bodySize;
    private long startNanos;
    private long receivedAt;
    private String sourceAddress;
    private Map<String, String> headers;

    GatewayHandler(CallbackGateway gateway) {
        this.gateway = gateway;
        this.settings = gateway.settings;
        this.metrics = gateway.metrics;
        this.maxBody = settings.get(GatewayOptions.MAX_BODY_SIZE);
    }

    /** Sits before the HTTP decoder: the first byte of a request starts its header timer. */
    ChannelInboundHandlerAdapter firstByteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (state == State.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                    state = State.HEADERS;
                    schedule(settings.get(GatewayOptions.HEADER_TIMEOUT).toNanos());
                }
                c.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connections.incrementAndGet();
        gateway.connections.add(ctx.channel());
        if (gateway.draining) {
            ctx.close();
            return;
        }
        // A new connection must send its first request's headers within the header timeout.
        schedule(settings.get(GatewayOptions.HEADER_TIMEOUT).toNanos());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.connections.decrementAndGet();
        cancelTimer();
        releaseBody();
        if (state != State.WAITING) {
            releaseInFlight(); // a request cut off mid-body; one waiting for Kafka is released when answered
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            if (state == State.IDLE) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // A reset or a broken pipe: the client's side went away; it resends what was not answered.
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            // The gateway's own error: the request is dropped unanswered (the channel resends), and
            // that must show, not hide at debug level as a failing endpoint once did.
            LOG.warn(
                    "connection {}: request failed in the gateway",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                if (state == State.WAITING || state == State.CLOSING) {
                    // Already decoded from the same read: answered by closing once the current one is
                    // answered (an HTTP client resends an unanswered pipelined request).
                    pipelined = true;
                    return;
                }
                onRequest(req);
            }
            if (msg instanceof HttpContent c) {
                onContent(c);
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest req) {
        cancelTimer();
        startNanos = System.nanoTime();
        receivedAt = System.currentTimeMillis();
        endpoint = null;
        getPath = null;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpHeaderException
                    ? 431
                    : cause instanceof TooLongHttpLineException
                            ? 414
                            : cause instanceof TooLongFrameException ? 431 : 400;
            reject(null, "-", status, "malformed request: " + cause.getMessage(), "bad_request");
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(req);
        String uri = req.uri();
        String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
        if (path.equals("/health") || path.equals("/metrics")) {
            if (!req.method().equals(HttpMethod.GET)) {
                reject(null, "-", 405, "use GET", "bad_request");
                return;
            }
            getPath = path;
            state = State.GET;
            schedule(settings.get(GatewayOptions.READ_TIMEOUT).toNanos());
            return;
        }
        Endpoint e = Endpoint.of(uri);
        if (e == null) {
            reject(
                    null,
                    "-",
                    404,
                    "no such endpoint: notifications go to " + CallbackGateway.notificationPaths(),
                    "not_found");
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            reject(e.channel, e.kind, 405, "use POST", "bad_request");
            return;
        }
        if (gateway.draining) {
            reject(e.channel, e.kind, 503, "the gateway is shutting down: resend later", "unavailable");
            return;
        }
        String peer =
                ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        try {
            sourceAddress = SourceAddress.resolve(
                    peer,
                    req.headers().getAll("X-Forwarded-For"),
                    req.headers().get("X-Real-IP"),
                    settings.get(GatewayOptions.TRUSTED_PROXIES));
        } catch (SourceAddress.BadForwardingException ex) {
            reject(e.channel, e.kind, 400, ex.getMessage(), "bad_request");
            return;
        }
        AddressRules rules = settings.get(allowlist(e.channel));
        if (rules != null && !rules.allows(sourceAddress)) {
            reject(e.channel, e.kind, 403, "source address " + sourceAddress + " is not allowed", "forbidden");
            return;
        }
        long length = HttpUtil.getContentLength(req, -1L);
        if (length > maxBody) {
            reject(e.channel, e.kind, 413, "body larger than " + maxBody + " bytes", "too_large");
            return;
        }
        if (metrics.inFlight.incrementAndGet() > settings.get(GatewayOptions.MAX_IN_FLIGHT)) {
            metrics.inFlight.decrementAndGet();
            gateway.released();
            reject(e.channel, e.kind, 503, "too many notifications in flight: resend later", "overloaded");
            return;
        }
        inFlightHeld = true;
        endpoint = e;
        headers = new LinkedHashMap<>();
        req.headers().forEach(h -> {
            String name = h.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type")
                    || (e.channel == Endpoint.Channel.WECHAT && lower.startsWith("wechatpay-"))) {
                headers.merge(name, h.getValue(), (a, b) -> a + ", " + b);
            }
        });
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = ctx.alloc().compositeBuffer(64);
        bodySize = 0;
        state = State.BODY;
        schedule(settings.get(GatewayOptions.READ_TIMEOUT).toNanos());
    }

    private static GatewayOption<AddressRules> allowlist(Endpoint.Channel c) {
        return switch (c) {
            case WECHAT -> GatewayOptions.WECHAT_ALLOWLIST;
            case ALIPAY -> GatewayOptions.ALIPAY_ALLOWLIST;
            case UNIONPAY -> GatewayOptions.UNIONPAY_ALLOWLIST;
        };
    }

    private void onContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (state == State.GET) {
            if (last) {
                cancelTimer();
                answerGet();
            }
            return;
        }
        if (state != State.BODY) {
            return; // after an early answer, what is left of the request is dropped with the connection
        }
        if (c.decoderResult().isFailure()) {
            reject(endpoint.channel, endpoint.kind, 400, "malformed request body", "bad_request");
            return;
        }
        bodySize += c.content().readableBytes();
        if (bodySize > maxBody) {
            reject(endpoint.channel, endpoint.kind, 413, "body larger than " + maxBody + " bytes", "too_large");
            return;
        }
        if (c.content().isReadable()) {
            body.addComponent(true, c.content().retain());
        }
        if (last) {
            cancelTimer();
            received();
        }
    }

    /** The whole notification is here: publish it and wait (without reading) for Kafka's word. */
    private void received() {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(body.nioBuffer())
                    .toString();
        } catch (CharacterCodingException ex) {
            reject(endpoint.channel, endpoint.kind, 400, "the body is not UTF-8 text", "bad_request");
            return;
        } finally {
            releaseBody();
        }
        String notifyId = Notifications.notifyId(endpoint.channel, text);
        byte[] envelope = Notifications.envelope(endpoint.channel, notifyId, sourceAddress, receivedAt, headers, text);
        state = State.WAITING;
        ctx.channel().config().setAutoRead(false);
        Exchange ex = new Exchange(this, endpoint);
        gateway.pending.add(ex);
        // A backstop: the producer itself fails the record after delivery.timeout.ms.
        long deadline = settings.get(GatewayOptions.PUBLISH_TIMEOUT).toMillis() + 1000;
        ex.deadline = ctx.executor()
                .schedule(
                        () -> ex.finish(new java.util.concurrent.TimeoutException("no acknowledgement"), "timeout"),
                        deadline,
                        TimeUnit.MILLISECONDS);
        gateway.publisher.publish(notifyId, envelope, ex::unanswered, error -> {
            if (error == null) {
                metrics.published(ex.endpoint.channel);
            }
            ex.finish(error, error instanceof org.apache.kafka.common.errors.TimeoutException ? "timeout" : "error");
        });
    }

    /** Called once per exchange, from any thread. */
    void answer(Exchange ex, Exception error, String failureReason) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> answer(ex, error, failureReason));
            return;
        }
        gateway.pending.remove(ex);
        if (ex.deadline != null) {
            ex.deadline.cancel(false);
        }
        Endpoint e = ex.endpoint;
        Answer a;
        if (error == null) {
            a = Answer.success(e.channel);
        } else {
            metrics.failed(e.channel, failureReason);
            gateway.warnNotPublished(e.channel, error);
            a = Answer.failure(e.channel, 500, "not stored: " + failureReason + ", resend later", "failure");
        }
        metrics.latency(System.nanoTime() - startNanos);
        boolean keep = keepAlive && !gateway.draining && !pipelined;
        metrics.request(e.channel, e.kind, a.label());
        ctx.writeAndFlush(response(a, keep)).addListener((ChannelFutureListener) f -> {
            releaseInFlight();
            if (keep && f.isSuccess() && ctx.channel().isActive()) {
                state = State.IDLE;
                schedule(settings.get(GatewayOptions.IDLE_TIMEOUT).toNanos());
                ctx.channel().config().setAutoRead(true);
            } else {
                state = State.CLOSING;
                ctx.close();
            }
        });
    }

    private void answerGet() {
        Answer a;
        if (getPath.equals("/metrics")) {
            a = new Answer(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.prometheus().getBytes(StandardCharsets.UTF_8),
                    "ok");
        } else {
            String status = gateway.draining ? "DRAINING" : "UP";
            a = Answer.json(
                    gateway.draining ? 503 : 200,
                    "{\"status\":\"" + status + "\",\"inFlight\":" + metrics.inFlight() + ",\"published\":"
                            + metrics.publishedTotal() + ",\"failed\":" + metrics.failedTotal() + "}",
                    "ok");
        }
        boolean keep = keepAlive && !gateway.draining && !pipelined;
        state = State.WAITING;
        ctx.writeAndFlush(response(a, keep)).addListener((ChannelFutureListener) f -> {
            if (keep && f.isSuccess()) {
                state = State.IDLE;
                schedule(settings.get(GatewayOptions.IDLE_TIMEOUT).toNanos());
            } else {
                ctx.close();
            }
        });
    }

    /** An early answer (before or instead of publishing); the connection closes after it. */
    private void reject(Endpoint.Channel channel, String kind, int status, String message, String label) {
        cancelTimer();
        releaseBody();
        state = State.CLOSING;
        metrics.request(channel, kind, label);
        Answer a = Answer.failure(channel, status, message, label);
        ctx.writeAndFlush(response(a, false)).addListener((ChannelFutureListener) f -> {
            releaseInFlight();
            ctx.close();
        });
    }

    private void timedOut() {
        timer = null;
        switch (state) {
            case HEADERS -> reject(null, "-", 408, "request headers not received in time", "timeout");
            case BODY -> reject(endpoint.channel, endpoint.kind, 408, "request body not received in time", "timeout");
            case IDLE, GET -> ctx.close();
            default -> {}
        }
    }

    private static FullHttpResponse response(Answer a, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()), Unpooled.wrappedBuffer(a.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
        r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    private void schedule(long nanos) {
        cancelTimer();
        timer = ctx.executor().schedule(this::timedOut, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void releaseInFlight() {
        if (inFlightHeld) {
            inFlightHeld = false;
            metrics.inFlight.decrementAndGet();
            gateway.released();
        }
    }
}
