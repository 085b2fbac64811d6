package dev.ringbuf.samples.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The feed's settings, under {@code ringbuf.feed.*} (application.properties, environment, command line). The ring's
 * own settings are the starter's: {@code ringbuf.rings.events.capacity}, ...
 *
 * @param producers synthetic producer threads
 * @param rate total events per second, 0 for as fast as they can
 * @param batch events per batch for the batching producers
 * @param clientBuffer events buffered per client before that client's events are dropped
 * @param heartbeat the interval of the SSE heartbeat comment
 */
@ConfigurationProperties("ringbuf.feed")
public record FeedProperties(
        @DefaultValue("4") int producers,
        @DefaultValue("20000") long rate,
        @DefaultValue("16") int batch,
        @DefaultValue("4096") int clientBuffer,
        @DefaultValue("15s") Duration heartbeat) {
}
