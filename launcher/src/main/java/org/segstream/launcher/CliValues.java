package org.segstream.launcher;

import java.util.List;

/** Option values of the command line, each error naming the option and what it takes. */
final class CliValues {
    private CliValues() {
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new SegstreamCli.UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    static long longValue(List<String> args, int i, String option) {
        String text = value(args, i, option);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SegstreamCli.UsageException(option + " takes a whole number, not '" + text + "'");
        }
    }

    static double doubleValue(List<String> args, int i, String option, double min, double max) {
        String text = value(args, i, option);
        try {
            double v = Double.parseDouble(text);
            if (!(v >= min && v <= max)) {
                throw new SegstreamCli.UsageException(option + " " + text + " is outside " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SegstreamCli.UsageException(option + " takes a number, not '" + text + "'");
        }
    }

    static int intValue(List<String> args, int i, String option, int min, int max) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new SegstreamCli.UsageException(option + " " + n + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SegstreamCli.UsageException(option + " takes a whole number, not '" + text + "'");
        }
    }
}
