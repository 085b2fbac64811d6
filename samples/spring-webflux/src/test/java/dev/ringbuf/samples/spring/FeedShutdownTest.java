package dev.ringbuf.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Closing the application context completes open /events streams: the producers stop, the starter closes the ring
 * and waits for it to drain, the streams complete, then the web server stops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedShutdownTest {

    @Test
    void closingTheContextCompletesOpenStreams() throws Exception {
        final ConfigurableApplicationContext context = SpringApplication.run(FeedApplication.class,
                "--server.address=127.0.0.1", "--server.port=0", "--ringbuf.feed.rate=2000",
                "--spring.main.banner-mode=off");
        final int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        final RingBuffer ring = context.getBean("events", RingBuffer.class);

        final CountDownLatch receiving = new CountDownLatch(1);
        final List<String> data = new CopyOnWriteArrayList<>();
        final CompletableFuture<List<String>> completed = new CompletableFuture<>();
        WebClient.create("http://127.0.0.1:" + port).get().uri("/events?client=until-shutdown")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(String.class)
                .subscribe(line -> {
                    data.add(line);
                    receiving.countDown();
                }, completed::completeExceptionally, () -> completed.complete(data));
        assertThat(receiving.await(20, TimeUnit.SECONDS)).isTrue();

        context.close();

        assertThat(completed.get(20, TimeUnit.SECONDS)).isNotEmpty(); // completed normally, not in error
        assertThat(ring.isClosedAndDrained()).isTrue();
    }
}
