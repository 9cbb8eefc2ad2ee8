package org.segstream.ingest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A streams file for {@code segstream ingest --config FILE}: one stream per id, keys {@code ID.OPTION}
 * (the id is everything before the last dot), {@code default.OPTION} for every stream:
 *
 * <pre>
 * default.fps = 5
 * gate.url = rtsp://10.0.0.5/stream1
 * gate.max-size = 1280x720
 * dashcam.url = /data/dashcam          # a folder: its video files in name order
 * dashcam.folder = one-stream          # or per-file: one stream per file, named ID-FILE
 * dashcam.pace = fast
 * </pre>
 *
 * Options are those of {@link SourceOptions#of}; {@code url} is a path, directory or URL as on the
 * command line. Relative paths are relative to the config file. A {@code .json} file says the same as
 * an object of objects: {@code {"default": {"fps": 5}, "gate": {"url": "rtsp://10.0.0.5/stream1", "max-size": "1280x720"}}}.
 *
 * <p>Values may name environment variables, so that passwords live in the environment (an env file,
 * a secret) rather than in the streams file: {@code gate.url = rtsp://admin:${GATE_PASSWORD}@10.0.0.5/stream1}.
 * {@code ${NAME}} is replaced by the variable's value as it is (a URL needs its special characters
 * percent-encoded in the variable, {@code @} as {@code %40}); a variable that is not set is an error
 * naming it; {@code $${} stands for a literal {@code ${}; a {@code $} not followed by {@code {} is
 * kept as it is.
 */
public final class SourcesFile {
    private SourcesFile() {
    }

    /** The streams of {@code file}, with {@code ${NAME}} in values taken from {@code env}. */
    public static List<SourceSpec> load(Path file, Map<String, String> env) throws IOException {
        var props = new Properties();
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            props = fromJson(file);
        } else {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
        }
        try {
            return parse(props, file.toAbsolutePath().getParent(), env);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@code {"ID": {"OPTION": value, ...}, ...}} as the properties {@code ID.OPTION = value}. */
    private static Properties fromJson(Path file) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected an object of streams, {\"ID\": {\"url\": ...}}");
        }
        var props = new Properties();
        for (var stream : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) root::fields) {
            if (!stream.getValue().isObject()) {
                throw new IllegalArgumentException(file + ": stream '" + stream.getKey() + "' is not an object of options");
            }
            for (var option : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) stream.getValue()::fields) {
                if (!option.getValue().isValueNode()) {
                    throw new IllegalArgumentException(file + ": " + stream.getKey() + "." + option.getKey() + " is not a string, number or boolean");
                }
                props.setProperty(stream.getKey() + "." + option.getKey(), option.getValue().asText());
            }
        }
        return props;
    }

    static List<SourceSpec> parse(Properties props, Path baseDir, Map<String, String> env) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, Map<String, String>> streams = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames().stream().sorted().toList()) {
            int dot = key.lastIndexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                throw new IllegalArgumentException("key '" + key + "' is not ID.OPTION");
            }
            String id = key.substring(0, dot);
            String option = key.substring(dot + 1);
            String value = substitute(props.getProperty(key), env, key);
            (id.equals("default") ? defaults : streams.computeIfAbsent(id, k -> new LinkedHashMap<>()))
                    .put(option, value.trim());
        }
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("names no streams (keys ID.url = path or URL)");
        }
        List<SourceSpec> sources = new ArrayList<>();
        for (var entry : streams.entrySet()) {
            Map<String, String> values = new LinkedHashMap<>(defaults);
            values.putAll(entry.getValue());
            sources.addAll(stream(entry.getKey(), values, baseDir));
        }
        return sources;
    }

    /** The sources of stream {@code id} with its {@code values} (defaults applied): one, or one per file of a per-file folder. */
    private static List<SourceSpec> stream(String id, Map<String, String> values, Path baseDir) throws IOException {
        String url = values.remove("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("stream '" + id + "' has no " + id + ".url");
        }
        String folder = values.remove("folder");
        SourceOptions options;
        try {
            options = SourceOptions.of(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stream '" + id + "': " + e.getMessage(), e);
        }
        SourceSpec spec = SourceSpec.parse(id + "=" + resolve(url, baseDir)).withOptions(options);
        if (folder != null && !folder.equals("one-stream") && !folder.equals("per-file")) {
            throw new IllegalArgumentException("stream '" + id + "': folder '" + folder + "' is not 'one-stream' or 'per-file'");
        }
        if (!"per-file".equals(folder) || !spec.isDirectory()) {
            return List.of(spec);
        }
        List<SourceSpec> files = new ArrayList<>();
        for (Path video : IngestJob.videoFiles(Path.of(spec.location()))) {
            SourceSpec one = SourceSpec.parse(video.toString());
            files.add(new SourceSpec(trim(id + "-" + one.stream()), video.toString(), one.kind(), options));
        }
        return files;
    }

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * {@code value} with every {@code ${NAME}} replaced by {@code env}'s NAME, {@code $${} by {@code ${}.
     * Errors name the key and the variable, never a value (it may be a password).
     */
    static String substitute(String value, Map<String, String> env, String key) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && value.startsWith("${", i)) {
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException(key + ": '${' without its closing '}' (write $${ for a literal ${)");
                }
                String name = value.substring(i + 2, close);
                if (!VARIABLE_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(key + ": '${" + cut(name) + "}' is not a variable name (letters, digits and _)");
                }
                String replacement = env.get(name);
                if (replacement == null) {
                    throw new IllegalArgumentException(key + " uses ${" + name + "}, but the environment variable " + name + " is not set");
                }
                out.append(replacement);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String trim(String id) {
        return id.length() <= 128 ? id : id.substring(0, 128);
    }

    private static String resolve(String location, Path baseDir) {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || baseDir == null) {
            return location;
        }
        Path path = Path.of(location);
        return path.isAbsolute() ? location : baseDir.resolve(path).normalize().toString();
    }
}
