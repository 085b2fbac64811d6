package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The configuration processor's metadata, which IDEs complete {@code ringbuf.*} from, is in the jar. */
class ConfigurationMetadataTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void describesEveryPropertyWithItsDefault() throws IOException {
        final String metadata = resource("META-INF/spring-configuration-metadata.json");
        assertThat(metadata).contains("\"name\": \"ringbuf.rings\"",
                "RingBufferProperties$Ring>", "\"name\": \"ringbuf.health.blocked-threshold\"",
                "\"name\": \"ringbuf.shutdown.drain-timeout\"", "\"defaultValue\": \"5s\"", "\"defaultValue\": \"2s\"");
    }

    @Test
    void registersTheAutoConfigurations() throws IOException {
        assertThat(resource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .contains(RingBufferAutoConfiguration.class.getName(),
                        RingBufferMetricsAutoConfiguration.class.getName(),
                        RingBufferHealthAutoConfiguration.class.getName(),
                        RingBufferEndpointAutoConfiguration.class.getName());
    }
}
