package dev.ringbuf.samples.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The samples' small command-line parser: {@code --name value} or {@code --name=value}, {@code --help}/{@code -h},
 * every option with a default and a line of help. Values are checked when read, with messages that name the
 * option, the value and the rule.
 *
 * <pre>{@code
 * CommandLine cli = CommandLine.parse("feed-server", "Serves a live event feed.", List.of(
 *         new CommandLine.Option("port", "N", "8080", "TCP port, 0 for any free one")), args);
 * int port = cli.intValue("port", 0, 65535);
 * }</pre>
 */
public final class CommandLine {

    /**
     * One option.
     *
     * @param name the name, without the leading dashes
     * @param valueName what the value is, for the help text (for example {@code N} or {@code BYTES})
     * @param defaultValue the value when the option is not given
     * @param description one line of help
     */
    public record Option(String name, String valueName, String defaultValue, String description) {
        /** Checks that no part is null. */
        public Option {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(valueName, "valueName");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(description, "description");
        }
    }

    /** Thrown for {@code --help}: the caller prints {@link #getMessage()} (the usage) and exits with status 0. */
    public static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;

        HelpRequested(String usage) {
            super(usage, null, false, false);
        }
    }

    /** Thrown for a bad command line: the caller prints the message and the usage, and exits with status 2. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final String usage;
    private final Map<String, String> values;

    private CommandLine(String usage, Map<String, String> values) {
        this.usage = usage;
        this.values = values;
    }

    /**
     * Parses a command line.
     *
     * @param program the program's name, for the usage line
     * @param summary what the program does, for the help text
     * @param options the options it accepts
     * @param args the arguments
     * @return the parsed command line
     * @throws HelpRequested if {@code --help} or {@code -h} is given
     * @throws UsageException if an option is unknown or has no value
     */
    public static CommandLine parse(String program, String summary, List<Option> options, String... args)
            throws HelpRequested {
        final Map<String, Option> known = new LinkedHashMap<>();
        final Map<String, String> values = new LinkedHashMap<>();
        for (Option option : options) {
            known.put(option.name(), option);
            values.put(option.name(), option.defaultValue());
        }
        final String usage = usage(program, summary, options);
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested(usage);
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': options start with --");
            }
            final int equals = arg.indexOf('=');
            final String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (!known.containsKey(name)) {
                throw new UsageException("unknown option '--" + name + "'; known: "
                        + String.join(", ", known.keySet().stream().map(n -> "--" + n).toList()));
            }
            final String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option '--" + name + "' needs a value (" + known.get(name).valueName() + ")");
            }
            values.put(name, value);
        }
        return new CommandLine(usage, values);
    }

    /**
     * The help text: usage line, summary, one line per option with its default.
     *
     * @return the usage
     */
    public String usage() {
        return usage;
    }

    /**
     * An option's value as text.
     *
     * @param name the option
     * @return its value (the default when not given)
     * @throws IllegalArgumentException if there is no such option
     */
    public String value(String name) {
        final String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no option '--" + name + "'");
        }
        return value;
    }

    /**
     * An option's value as an {@code int} within bounds.
     *
     * @param name the option
     * @param min the least value allowed
     * @param max the greatest value allowed
     * @return the value
     * @throws UsageException if it is not a number within bounds
     */
    public int intValue(String name, int min, int max) {
        return (int) longValue(name, min, max);
    }

    /**
     * An option's value as a {@code long} within bounds; {@code _} may group digits ({@code 100_000}).
     *
     * @param name the option
     * @param min the least value allowed
     * @param max the greatest value allowed
     * @return the value
     * @throws UsageException if it is not a number within bounds
     */
    public long longValue(String name, long min, long max) {
        final String text = value(name);
        final long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + text + "'");
        }
        return checkRange(name, text, value, min, max);
    }

    /**
     * An option's value as a byte count: a number with an optional {@code k}, {@code m} or {@code g} suffix
     * (powers of 1024), for example {@code 1m} = 1048576.
     *
     * @param name the option
     * @param min the least value allowed
     * @param max the greatest value allowed
     * @return the byte count
     * @throws UsageException if it is not a size within bounds
     */
    public long bytesValue(String name, long min, long max) {
        final String text = value(name).trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = text;
        if (text.endsWith("k") || text.endsWith("m") || text.endsWith("g")) {
            unit = switch (text.charAt(text.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            digits = text.substring(0, text.length() - 1);
        }
        final long value;
        try {
            value = Math.multiplyExact(Long.parseLong(digits.replace("_", "")), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + name + " must be a byte count such as 65536, 64k or 1m, was '"
                    + value(name) + "'");
        }
        return checkRange(name, value(name), value, min, max);
    }

    /**
     * An option's value as a duration: a number with a unit {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 15s}), or {@code 0}.
     *
     * @param name the option
     * @return the duration, never negative
     * @throws UsageException if it is not a duration
     */
    public Duration durationValue(String name) {
        final String text = value(name).trim().toLowerCase(Locale.ROOT);
        try {
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            if (text.endsWith("ms")) {
                return nonNegative(name, Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
            }
            final long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return nonNegative(name, switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            });
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new UsageException("--" + name + " must be a duration such as 500ms, 15s or 2m (or 0), was '"
                    + value(name) + "'");
        }
    }

    private static Duration nonNegative(String name, Duration duration) {
        if (duration.isNegative()) {
            throw new UsageException("--" + name + " must not be negative, was " + duration);
        }
        return duration;
    }

    private static long checkRange(String name, String text, long value, long min, long max) {
        if (value < min || value > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", was " + text);
        }
        return value;
    }

    private static String usage(String program, String summary, List<Option> options) {
        final StringBuilder text = new StringBuilder("Usage: ").append(program).append(" [options]\n\n")
                .append(summary).append("\n\nOptions:\n");
        for (Option option : options) {
            text.append(String.format("  --%-22s %s (default: %s)%n", option.name() + " " + option.valueName(),
                    option.description(), option.defaultValue()));
        }
        return text.append(String.format("  --%-22s %s%n", "help", "print this help and exit")).toString();
    }
}
