package dev.ringbuf.samples.feed;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * Counts the HTTP responses being written, so that a shutdown can wait until the last bytes of every stream have
 * been handed to the socket before the server closes the connections.
 *
 * <p>Completing a stream's Flux is not enough: the HTTP server writes its last chunk asynchronously, and a server
 * stopped at that moment closes the connection with the chunk still queued, so the client sees a premature close
 * instead of the end of the stream. Wrap the handler's result: the returned {@code Mono} completes once the
 * response is written.
 *
 * <pre>{@code
 * return streams.track(response.sendString(body).then());      // Reactor Netty handler
 * ...
 * ring.close();                                                // at shutdown: the streams complete,
 * streams.awaitNone(Duration.ofSeconds(5));                    // their last bytes are written,
 * server.disposeNow();                                         // then close the connections
 * }</pre>
 */
public final class OpenStreams {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition none = lock.newCondition();
    private int open;

    /**
     * Tracks one response from subscription to termination (complete, error or cancel).
     *
     * @param response the response's completion, for example {@code response.sendString(body).then()}
     * @return the same completion, counted while it runs
     */
    public Mono<Void> track(Mono<Void> response) {
        return Mono.defer(() -> {
            change(+1);
            return response.doFinally(signal -> change(-1));
        });
    }

    /**
     * The responses being written now.
     *
     * @return the count
     */
    public int count() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no response is being written.
     *
     * @param timeout the longest wait
     * @return {@code true} if none is
     * @throws InterruptedException if interrupted
     */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (open > 0) {
                if (left <= 0) {
                    return false;
                }
                left = none.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void change(int delta) {
        lock.lock();
        try {
            open += delta;
            if (open == 0) {
                none.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "OpenStreams[" + count() + " open]";
    }
}
