package org.segstream.config;

import java.util.Map;
import java.util.Objects;
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
        this.variables = Map.copyOf(variables);
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

    /** Whether the variable is set to something other than blanks. */
    public boolean isSet(Setting<?> setting) {
        String value = variables.get(setting.name());
        return value != null && !value.isBlank();
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

    /** The value of any variable, or null: for {@code ${NAME}} in a sources file, which names variables of its own. */
    public String variable(String name) {
        return variables.get(Objects.requireNonNull(name));
    }

    /** The variables as a map (read-only). */
    public Map<String, String> asMap() {
        return variables;
    }

    /** These settings with {@code name} set to {@code value} (the command line's override of a variable). */
    public Settings with(String name, String value) {
        var changed = new java.util.HashMap<>(variables);
        changed.put(name, value);
        return new Settings(changed);
    }

    /** Never shows a value (some are passwords). */
    @Override
    public String toString() {
        return "Settings" + new TreeMap<>(variables).keySet();
    }
}
