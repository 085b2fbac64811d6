package dev.ringbuf.spring.boot.autoconfigure;

/**
 * The rings' configuration cannot work: a ring named like another bean, or two rings with one name. Startup fails
 * with it, and {@link RingBufferConfigurationFailureAnalyzer} prints {@link #getMessage() what is wrong} and
 * {@link #action() what to do}.
 */
public class RingBufferConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What the user can do about it (Spring Boot's failure analysis shows it). */
    private final String action;

    /**
     * The failure.
     *
     * @param description what is wrong, naming the rings, beans and properties involved
     * @param action what the user can do about it
     */
    public RingBufferConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    /**
     * What the user can do about it.
     *
     * @return the action
     */
    public String action() {
        return action;
    }
}
