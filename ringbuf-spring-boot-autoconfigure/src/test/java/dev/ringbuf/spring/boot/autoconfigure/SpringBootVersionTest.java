package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * The starter's tests run on the Spring Boot line they are meant for: the build's (4.1.x) in this module, 4.0.x in
 * {@code compat/spring-boot-4.0}, which runs these same tests with Spring Boot 4.0's dependency management.
 */
class SpringBootVersionTest {

    @Test
    void theTestsRunOnTheExpectedSpringBoot() {
        final String expected = System.getProperty("ringbuf.expected.spring-boot.version");
        assertThat(expected).as("set by the build (surefire's systemPropertyVariables)").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
        assertThat(SpringVersion.getVersion()).startsWith("7.0.");
    }
}
