package org.segstream.sink;

import java.util.Map;

/** Reads numbers from environment variables; an error names the variable and what it holds. */
final class EnvValues {
    private EnvValues() {
    }

    static int positiveInt(Map<String, String> env, String name, int absent) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + text + "', expected a positive whole number");
    }

    static double positiveDouble(Map<String, String> env, String name, double absent) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            double value = Double.parseDouble(text.trim());
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + text + "', expected a positive number");
    }
}
