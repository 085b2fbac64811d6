package dev.ringbuf.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RingBufferConfigurationException} anywhere in a startup failure's causes into Spring Boot's
 * "APPLICATION FAILED TO START" report: what is wrong, and what to do. Registered in {@code META-INF/spring.factories}.
 * (A bad value of a {@code ringbuf.*} property fails with Spring Boot's own
 * {@code InvalidConfigurationPropertyValueException}, which Spring Boot analyzes the same way.)
 */
public class RingBufferConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RingBufferConfigurationException> {

    /** The analyzer (Spring Boot instantiates it). */
    public RingBufferConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RingBufferConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
