package dev.ringbuf.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The live event feed as a Spring Boot WebFlux application.
 *
 * <ul>
 *   <li>{@code GET /events}: {@code Flux<ServerSentEvent<Event>>} from {@link EventController};
 *   <li>{@code GET /actuator/prometheus}: the ring's meters ({@code ringbuf_*}), the feed's ({@code feed_*}),
 *       Spring's and the JVM's; {@code /actuator/health/ringbuf/events} and {@code /actuator/ringbuf}: the ring's
 *       health and state;
 *   <li>the ring, its meters, health and close at shutdown come from {@code ringbuf-spring-boot-starter} and
 *       {@code ringbuf.rings.events.*}; the fan-out and the producers are beans ({@link FeedConfiguration}),
 *       started and stopped by {@link FeedLifecycle}.
 * </ul>
 *
 * <pre>
 * java -jar samples/spring-webflux/target/ringbuf-samples-spring-webflux.jar --server.port=8081
 * curl -N localhost:8081/events
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(FeedProperties.class)
public class FeedApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, for example {@code --server.port=8081 --ringbuf.feed.rate=50000}
     */
    public static void main(String[] args) {
        SpringApplication.run(FeedApplication.class, args);
    }
}
