package dev.ringbuf.samples.feed;

import java.util.List;
import java.util.Map;

/** Reading the feed server's request URIs: query values, and the metrics' {@code uri} tag. */
final class FeedQueries {

    private FeedQueries() {
    }

    /** Reactor Netty's {@code uri} tag: the route, never the query string (which would explode cardinality). */
    static String uriTag(String uri) {
        final int query = uri.indexOf('?');
        final String path = query < 0 ? uri : uri.substring(0, query);
        return switch (path) {
            case "/", "/events", "/stats", "/metrics" -> path;
            default -> "/other";
        };
    }

    /** The first value of {@code key}, or null. */
    static String first(Map<String, List<String>> query, String key) {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** {@code maxRate}: events per second, 0 (none) when absent or not a number, at most 1,000,000. */
    static long parseRate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(1_000_000, Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
