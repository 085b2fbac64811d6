package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code ringbuf} endpoint lists every ring and its state, when the actuator is there and it is exposed. */
class RingBufferEndpointTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class,
                    RingBufferEndpointAutoConfiguration.class))
            .withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.rings.audit.capacity=1KB");

    @Test
    void listsEveryRingAndItsState() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=ringbuf").run(context -> {
            final RingBufferEndpoint endpoint = context.getBean(RingBufferEndpoint.class);
            final RingBuffer events = context.getBean("events", RingBuffer.class);
            events.output(new byte[8]);
            context.getBean("audit", RingBuffer.class).close();

            assertThat(endpoint.rings().rings()).containsOnlyKeys("events", "audit");
            final RingSnapshot state = endpoint.ring("events");
            assertThat(state.name()).isEqualTo("events");
            assertThat(state.capacity()).isEqualTo(4096);
            assertThat(state.state()).isEqualTo("open");
            assertThat(state.producerPosition()).isEqualTo(16);
            assertThat(state.lag()).isEqualTo(16);
            assertThat(state.file()).isNull();
            assertThat(endpoint.ring("audit").state()).isEqualTo("drained"); // closed, nothing left
            assertThat(endpoint.ring("nope")).isNull();
        });
    }

    @Test
    void notThereUnlessExposed() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RingBufferEndpoint.class));
    }

    @Test
    void notThereWithoutTheActuator() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=ringbuf")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RingBufferEndpoint.class));
    }
}
