package dev.ringbuf.samples.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * Rejects what the feed server's routes should never see, before Reactor Netty dispatches a request:
 *
 * <ul>
 *   <li>a request whose head (request line and headers) has not arrived within the header timeout after the
 *       connection opened or the previous response ended: the connection is closed (slowloris clients that trickle
 *       header bytes are not helped by an idle timeout, which every byte resets);</li>
 *   <li>an HTTP version other than 1.0 and 1.1: {@code 505 HTTP Version Not Supported}, connection closed;</li>
 *   <li>a URI whose query cannot be decoded (for example {@code %zz}): {@code 400 Bad Request}, connection closed.</li>
 * </ul>
 *
 * One instance per connection, installed right after the HTTP codec ({@link #install}).
 */
final class RequestGate extends ChannelDuplexHandler {

    /** The default header timeout: generous for a real client, short for a connection that never finishes. */
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    private final long headerTimeoutNanos;
    private ScheduledFuture<?> deadline;
    /** A rejected request's remaining content is dropped until the connection closes. */
    private boolean rejected;

    private RequestGate(Duration headerTimeout) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
    }

    /**
     * Adds a gate to a new connection's pipeline, after Reactor Netty's HTTP codec.
     *
     * @param pipeline the connection's pipeline
     * @param headerTimeout how long a request head may take to arrive
     */
    static void install(ChannelPipeline pipeline, Duration headerTimeout) {
        final RequestGate gate = new RequestGate(headerTimeout);
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "ringbuf.requestGate", gate);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            ctx.close(); // no complete request head in time
        }, headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            disarm();
            final HttpVersion version = request.protocolVersion();
            if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version)) {
                reject(ctx, msg, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version " + version.text()
                        + " is not supported: this server speaks HTTP/1.0 and HTTP/1.1");
                return;
            }
            try {
                new QueryStringDecoder(request.uri()).parameters();
            } catch (IllegalArgumentException malformed) {
                reject(ctx, msg, HttpResponseStatus.BAD_REQUEST, "malformed request URI: " + malformed.getMessage());
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            // The response ended: a keep-alive connection gets the header timeout again for its next request.
            promise = promise.unvoid();
            promise.addListener(done -> {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    private void reject(ChannelHandlerContext ctx, Object request, HttpResponseStatus status, String reason) {
        rejected = true;
        ReferenceCountUtil.release(request);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
