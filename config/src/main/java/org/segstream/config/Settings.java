package org.segstream.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The binder: settings read from environment variables, each through its {@link Setting}, so every
 * value is typed and checked the same way. {@link #fromSystem()} is the only place segstream reads the
 * process's environment; everything else is handed the {@code Settings} it runs with, so tests give
 * their own.
 */
public final class Settings {
    private final Map<String, String> variables;

    private Settings(Map<String, String> variables) {
        Map<String, String> copy = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name != null && value != null) { // a variable mapped to null is not set
                copy.put(name, value);
            }
        });
        this.variables = java.util.Collections.unmodifiableMap(copy);
    }

    /** This process's environment variables. */
    public static Settings fromSystem() {
        return new Settings(System.getenv());
    }

    /** The variables of {@code variables} (tests, a compose file's environment). */
    public static Settings of(Map<String, String> variables) {
        return new Settings(variables);
    }

    /** The value of {@code setting}: its default when the variable is absent or blank. */
    public <T> T get(Setting<T> setting) {
        return setting.parse(variables.get(setting.name()));
    }

    /** The value of {@code setting}, which has no default and must be given. */
    public <T> T required(Setting<T> setting) {
        T value = get(setting);
        if (value == null) {
            throw new ConfigException(setting.name() + " is not set, expected " + setting.allowed());
        }
        return value;
    }

    /** Every variable whose name starts with {@code prefix}, by the rest of its name (sorted). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                out.put(name.substring(prefix.length()), value);
            }
        });
        return out;
    }

    /** The variables as a map (read-only): for {@code ${NAME}} in a sources file, which names variables of its own. */
    public Map<String, String> asMap() {
        return variables;
    }

    /** Never shows a value (some are passwords). */
    @Override
    public String toString() {
        return "Settings" + variables.keySet();
    }
}
