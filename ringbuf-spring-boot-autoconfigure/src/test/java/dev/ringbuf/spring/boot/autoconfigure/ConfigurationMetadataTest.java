package dev.ringbuf.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata that IDEs complete {@code ringbuf.*} from: every key, including each ring's, with a
 * description and value hints; {@code ringbuf.enabled} and {@code management.health.ringbuf.enabled} included.
 */
class ConfigurationMetadataTest {

    /** The resource of the starter's own jar (or classes), not another jar's of the same name. */
    private static String resource(String name) throws IOException {
        final String home = RingBufferAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation()
                .toString();
        final URL url = Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(name)).stream()
                .filter(candidate -> candidate.toString().contains(home)).findFirst().orElse(null);
        assertThat(url).as(name + " in " + home).isNotNull();
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static DocumentContext metadata() throws IOException {
        return JsonPath.parse(resource("META-INF/spring-configuration-metadata.json"));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Test
    void describesEveryPropertyWithItsDefault() throws IOException {
        final String metadata = resource("META-INF/spring-configuration-metadata.json");
        assertThat(metadata).contains("\"name\": \"ringbuf.rings\"",
                "RingBufferProperties$Ring>", "\"name\": \"ringbuf.health.blocked-threshold\"",
                "\"name\": \"ringbuf.shutdown.drain-timeout\"", "\"defaultValue\": \"5s\"", "\"defaultValue\": \"2s\"",
                "\"name\": \"ringbuf.health.window\"", "\"defaultValue\": \"1m\"");
    }

    /** The properties that are maps by name: their hints name the keys ({@code <map>.keys}). */
    private static final List<String> MAPS = List.of("ringbuf.rings", "ringbuf.kafka.relays");

    @Test
    void everyKeyHasADescriptionAndEveryRingbufKeyHasValueHints() throws IOException {
        final DocumentContext metadata = metadata();
        final List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /(ringbuf|management"
                + "\\.health\\.ringbuf).*/)]");
        final List<String> hinted = metadata.read("$.hints[*].name");
        assertThat(properties).extracting(property -> property.get("name")).contains("ringbuf.enabled",
                "management.health.ringbuf.enabled", "ringbuf.health.window");
        for (Map<String, Object> property : properties) {
            final String name = (String) property.get("name");
            assertThat((String) property.get("description")).as(name + "'s description").isNotBlank();
            assertThat(hinted).as("hints for " + name).contains(MAPS.contains(name) ? name + ".keys" : name);
        }
    }

    @Test
    void everyPerRelaySettingIsDescribedUnderItsRelay() throws IOException {
        final List<String> names = metadata().read("$.properties[*].name");
        final List<String> fields = Arrays.stream(
                dev.ringbuf.spring.boot.autoconfigure.kafka.RingKafkaRelayProperties.Relay.class.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers())).map(Field::getName)
                .map(ConfigurationMetadataTest::kebab).toList();
        assertThat(fields).isNotEmpty();
        for (String field : fields) {
            assertThat(names).contains("ringbuf.kafka.relays.*." + field);
        }
    }

    @Test
    void everyPerRingSettingIsDescribedUnderItsRing() throws IOException {
        final List<String> names = metadata().read("$.properties[*].name");
        final List<String> fields = Arrays.stream(RingBufferProperties.Ring.class.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers())).map(Field::getName)
                .map(ConfigurationMetadataTest::kebab).toList();
        assertThat(fields).isNotEmpty();
        for (String field : fields) {
            assertThat(names).contains("ringbuf.rings.*." + field);
        }
        assertThat(names.stream().filter(name -> name.startsWith("ringbuf.rings.*.")))
                .hasSameSizeAs(fields); // nothing described that does not exist
    }

    @Test
    void theFileModeHintsAreTheModes() throws IOException {
        final List<String> values = metadata().read("$.hints[?(@.name == 'ringbuf.rings.*.file-mode')].values[*].value");
        assertThat(values).containsExactlyInAnyOrderElementsOf(Arrays.stream(RingFileMode.values())
                .map(mode -> mode.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
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
