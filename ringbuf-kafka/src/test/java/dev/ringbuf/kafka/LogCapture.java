package dev.ringbuf.kafka;

import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Captures what the relay logs through Reactor's {@code Loggers} (it looks its logger up per line): installs
 * reactor-test's capturing factory once per JVM (installing it twice would wrap it in itself), then diverts to a
 * fresh {@link TestLogger} until {@link #stop()}.
 */
final class LogCapture {

    private static boolean installed;

    private LogCapture() {
    }

    /** Starts capturing into a new logger (warnings and errors in its error content). */
    static synchronized TestLogger start() {
        if (!installed) {
            LoggerUtils.useCurrentLoggersWithCapture();
            installed = true;
        }
        final TestLogger log = new TestLogger(false);
        LoggerUtils.enableCaptureWith(log);
        return log;
    }

    /** Stops capturing. */
    static synchronized void stop() {
        LoggerUtils.disableCapture();
    }
}
