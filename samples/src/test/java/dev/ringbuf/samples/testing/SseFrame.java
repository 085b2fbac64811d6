package dev.ringbuf.samples.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * One parsed Server-Sent Events frame.
 *
 * @param id the {@code id:} field, or null
 * @param data the {@code data:} lines joined by newlines, or null
 * @param comments the comment lines (without the leading colon and space)
 */
public record SseFrame(String id, String data, List<String> comments) {

    /**
     * Whether this frame carries an event (an id and data).
     *
     * @return true for an event frame
     */
    public boolean isEvent() {
        return id != null && data != null;
    }

    /**
     * A stateful parser: feed it chunks as they arrive (split anywhere), get complete frames back.
     */
    public static final class Parser {
        private final StringBuilder pending = new StringBuilder();
        private String id;
        private StringBuilder data;
        private List<String> comments = new ArrayList<>();
        private boolean any;

        /**
         * Parses a chunk.
         *
         * @param chunk the next bytes of the stream, as text
         * @return the frames completed by this chunk
         */
        public List<SseFrame> feed(String chunk) {
            pending.append(chunk);
            final List<SseFrame> frames = new ArrayList<>();
            int newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isEmpty()) {
                    if (any) {
                        frames.add(new SseFrame(id, data == null ? null : data.toString(), List.copyOf(comments)));
                    }
                    id = null;
                    data = null;
                    comments = new ArrayList<>();
                    any = false;
                    continue;
                }
                any = true;
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    final String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
            }
            return frames;
        }
    }
}
