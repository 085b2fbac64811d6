package dev.ringbuf.samples.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict parser of the Prometheus text exposition format 0.0.4, for the tests. */
public final class PrometheusText {

    /**
     * One sample line.
     *
     * @param name the metric name
     * @param labels the labels
     * @param value the value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(.*)\\})? (-?[0-9.]+(?:[eE][+-]?[0-9]+)?|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:\\\\.|[^\"\\\\])*)\",?");

    private PrometheusText() {
    }

    /**
     * Parses a scrape; every line must be a HELP, TYPE or sample line, and every sample must belong to a family
     * declared by a TYPE line before it.
     *
     * @param text the scrape
     * @return the samples
     * @throws IllegalArgumentException naming the first bad line
     */
    public static List<Sample> parse(String text) {
        final Map<String, String> types = new HashMap<>();
        final List<Sample> samples = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if (HELP.matcher(line).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                types.put(m.group(1), m.group(2));
                continue;
            }
            if (line.startsWith("#")) {
                throw new IllegalArgumentException("line " + number + " is a comment of no known kind: " + line);
            }
            if (!(m = SAMPLE.matcher(line)).matches()) {
                throw new IllegalArgumentException("line " + number + " is not a sample: " + line);
            }
            final String name = m.group(1);
            if (!types.containsKey(name) && !types.containsKey(family(name))) {
                throw new IllegalArgumentException("line " + number + ": sample " + name + " has no TYPE line");
            }
            final Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                final Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != m.group(3).length()) {
                    throw new IllegalArgumentException("line " + number + " has malformed labels: " + line);
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity")
                    .replace("-Inf", "-Infinity"))));
        }
        return samples;
    }

    /**
     * The value of the first sample with this name and these labels (others may be present).
     *
     * @param samples the samples
     * @param name the metric name
     * @param labels label pairs: name, value, name, value...
     * @return the value, or NaN when absent
     */
    public static double value(List<Sample> samples, String name, String... labels) {
        outer:
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                    continue outer;
                }
            }
            return sample.value();
        }
        return Double.NaN;
    }

    private static String family(String sample) {
        for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket", "_max", "_created"}) {
            if (sample.endsWith(suffix)) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return sample;
    }
}
