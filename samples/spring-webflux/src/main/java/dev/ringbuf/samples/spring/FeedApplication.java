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
 *       Spring's and the JVM's;
 *   <li>the ring, its metrics, the producers and the fan-out are beans ({@link RingConfiguration}); their order of
 *       start and stop is {@link FeedLifecycle}'s.
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
