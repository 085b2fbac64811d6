package dev.ringbuf.bpf;

/**
 * Waits on a ring buffer map's descriptor with {@code epoll}, as libbpf's {@code ring_buffer__poll} does, plus an
 * {@code eventfd} that {@link #wakeForever()} makes readable so that closing the ring ends every wait.
 *
 * <p>Level-triggered ({@code awaitData}): the kernel's poll reports the map readable while
 * {@code producer_pos - consumer_pos > 0}, so a wait returns at once when unconsumed data exists. Edge-triggered
 * ({@link #edgeTriggered}, the wakeup watcher): one report per wakeup the kernel sends (a submit that found the
 * consumer caught up, or a forced one), which is exactly the ring's self-balancing notification.
 */
final class RingWaiter implements AutoCloseable {

    private final int epollFd;
    private final int eventFd;

    private RingWaiter(int epollFd, int eventFd) {
        this.epollFd = epollFd;
        this.eventFd = eventFd;
    }

    static RingWaiter levelTriggered(int mapFd) {
        return open(mapFd, Native.EPOLLIN);
    }

    static RingWaiter edgeTriggered(int mapFd) {
        return open(mapFd, Native.EPOLLIN | Native.EPOLLET);
    }

    /** For a user ring's producer: one report per notification that the kernel drained records (space freed). */
    static RingWaiter edgeTriggeredOut(int mapFd) {
        return open(mapFd, Native.EPOLLOUT | Native.EPOLLET);
    }

    private static RingWaiter open(int mapFd, int events) {
        final Native.Result epoll = Native.epollCreate();
        if (epoll.value() < 0) {
            throw BpfException.failed("epoll_create1", epoll.errno(), "");
        }
        final int epollFd = (int) epoll.value();
        final Native.Result event = Native.eventfd();
        if (event.value() < 0) {
            Native.close(epollFd);
            throw BpfException.failed("eventfd", event.errno(), "");
        }
        final int eventFd = (int) event.value();
        Native.Result added = Native.epollAdd(epollFd, mapFd, events);
        if (added.value() == 0) {
            added = Native.epollAdd(epollFd, eventFd, Native.EPOLLIN);
        }
        if (added.value() < 0) {
            Native.close(eventFd);
            Native.close(epollFd);
            throw BpfException.failed("epoll_ctl(EPOLL_CTL_ADD) of ring buffer fd " + mapFd, added.errno(),
                    added.errno() == Errno.EINVAL || added.errno() == Errno.EPERM
                            ? "this descriptor cannot be polled: it is not a BPF ring buffer" : "");
        }
        return new RingWaiter(epollFd, eventFd);
    }

    /**
     * Waits up to {@code timeoutMillis} for the ring (or the close signal).
     *
     * @return whether something was reported (0 on timeout or a signal's {@code EINTR})
     */
    boolean await(int timeoutMillis) {
        final Native.Result result = Native.epollWait(epollFd, timeoutMillis);
        if (result.value() < 0 && result.errno() != Errno.EINTR) {
            throw BpfException.failed("epoll_wait", result.errno(), "");
        }
        return result.value() > 0;
    }

    /** Makes every present and future {@link #await} return at once. */
    void wakeForever() {
        Native.signal(eventFd);
    }

    @Override
    public void close() {
        Native.close(eventFd);
        Native.close(epollFd);
    }
}
