package org.segstream.launcher;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.segstream.ingest.SourceSpec;
import org.segstream.segmenter.model.Device;
import org.segstream.service.MetricsServer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks of command-line values that picocli's types do not make, each error naming the option and
 * what it takes ({@link SegstreamCli.UsageException}: exit 2), and the sources' parsing.
 */
public final class CliValues {
    private CliValues() {
    }

    public static int inRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new SegstreamCli.UsageException(option + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    public static double inRange(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
            throw new SegstreamCli.UsageException(option + " " + shown + " is outside " + min + ".." + max);
        }
        return value;
    }

    /** A standalone service's metrics endpoint from SEGSTREAM_METRICS_PORT/_BIND; a port that is no number is a usage error. */
    static MetricsServer.Endpoint metricsEndpoint(Map<String, String> env) {
        try {
            return MetricsServer.Endpoint.fromEnv(env);
        } catch (IllegalArgumentException e) {
            throw new SegstreamCli.UsageException(e.getMessage());
        }
    }

    /** A value refused with a message of its own, complete as it is (it names the option). */
    static final class Refused extends TypeConversionException {
        Refused(String message) {
            super(message);
        }
    }

    /** {@code --device auto|cpu|cuda}. */
    static final class DeviceConverter implements ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A frame size. */
    record Size(int width, int height) {
    }

    /** {@code --size WxH}, 1x1 to 7680x4320. */
    static final class SizeConverter implements ITypeConverter<Size> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

        @Override
        public Size convert(String size) {
            var m = SIZE.matcher(size);
            if (m.matches()) {
                int width = Integer.parseInt(m.group(1));
                int height = Integer.parseInt(m.group(2));
                if (width >= 1 && height >= 1 && width <= 7680 && height <= 4320) {
                    return new Size(width, height);
                }
            }
            throw new Refused("--size takes WxH between 1x1 and 7680x4320, not '" + size + "'");
        }
    }

    static void requireDistinctStreams(List<SourceSpec> sources) {
        try {
            SourceSpec.requireDistinctStreams(sources);
        } catch (IllegalArgumentException e) {
            throw new SegstreamCli.UsageException(e.getMessage());
        }
    }

    static SourceSpec parseSource(String argument) {
        try {
            return SourceSpec.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new SegstreamCli.UsageException(e.getMessage());
        }
    }

    /** The source, or null where it does not parse ({@code run} reports those in its table and goes on). */
    static SourceSpec parseOrNull(String argument) {
        try {
            return SourceSpec.parse(argument);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
