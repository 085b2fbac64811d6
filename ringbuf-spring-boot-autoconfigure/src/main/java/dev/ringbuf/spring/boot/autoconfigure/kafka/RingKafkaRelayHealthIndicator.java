package dev.ringbuf.spring.boot.autoconfigure.kafka;

import dev.ringbuf.kafka.RelayState;
import dev.ringbuf.kafka.RingKafkaRelay;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The relays' health ({@code /actuator/health/ringbufKafkaRelays}): UP while every relay runs or completed,
 * UNKNOWN while one checks its topic, OUT_OF_SERVICE while one is stalled, DOWN once one failed; per relay its
 * state, the cause of a stall or failure, and its counts.
 */
public class RingKafkaRelayHealthIndicator implements HealthIndicator {

    private final RingKafkaRelays relays;

    /**
     * Creates the indicator.
     *
     * @param relays the relays
     */
    public RingKafkaRelayHealthIndicator(RingKafkaRelays relays) {
        this.relays = relays;
    }

    @Override
    public Health health() {
        Status worst = Status.UP;
        final Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, RingKafkaRelay> entry : relays.relays().entrySet()) {
            final RingKafkaRelay relay = entry.getValue();
            final RelayState state = relay.state();
            final Status status = status(state);
            if (rank(status) > rank(worst)) {
                worst = status;
            }
            final Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state.name());
            if (relay.stallCause() != null) {
                detail.put("cause", relay.stallCause());
            }
            detail.put("sent", relay.sentRecords());
            detail.put("inFlight", relay.inFlight());
            detail.put("skipped", relay.skippedRecords());
            detail.put("deadLettered", relay.deadLetteredRecords());
            detail.put("sendErrors", relay.sendErrors());
            details.put(entry.getKey(), detail);
        }
        return Health.status(worst).withDetails(details).build();
    }

    static Status status(RelayState state) {
        return switch (state) {
            case RUNNING, COMPLETED, STOPPING -> Status.UP;
            case STARTING -> Status.UNKNOWN;
            case STALLED -> Status.OUT_OF_SERVICE;
            case FAILED -> Status.DOWN;
        };
    }

    private static int rank(Status status) {
        if (Status.DOWN.equals(status)) {
            return 3;
        }
        if (Status.OUT_OF_SERVICE.equals(status)) {
            return 2;
        }
        return Status.UNKNOWN.equals(status) ? 1 : 0;
    }
}
