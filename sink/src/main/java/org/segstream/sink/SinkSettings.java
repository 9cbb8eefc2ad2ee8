package org.segstream.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.segstream.config.ConfigException;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Setting;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;

/** The sink's environment variables, each with its default and what it takes (README.md lists them). */
public final class SinkSettings {
    public static final Setting<String> GROUP_ID = Setting.text("SEGSTREAM_SINK_GROUP_ID", SinkConfig.DEFAULT_GROUP_ID);
    public static final Setting<Path> OUT_DIR = Setting.path("SEGSTREAM_OUT_DIR", Path.of("out"));
    public static final Setting<Boolean> WRITE_MASKS = Setting.flag("SEGSTREAM_WRITE_MASKS", false);
    public static final Setting<String> H264_PRESET = Setting.oneOf("SEGSTREAM_H264_PRESET", SinkConfig.Output.DEFAULT_PRESET,
            "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo");
    public static final Setting<Integer> H264_CRF = Setting.wholeNumber("SEGSTREAM_H264_CRF", SinkConfig.Output.DEFAULT_CRF, 0, 51);
    public static final Setting<Double> SEGMENT_SECONDS = Setting.positiveNumber("SEGSTREAM_SEGMENT_SECONDS",
            SinkConfig.Output.DEFAULT_SEGMENT_SECONDS);
    public static final Setting<Double> OVERLAY_OPACITY = Setting.number("SEGSTREAM_OVERLAY_OPACITY", SinkConfig.Overlay.DEFAULT_OPACITY,
            0, 1);
    public static final Setting<Set<String>> OVERLAY_CLASSES = Setting.of("SEGSTREAM_OVERLAY_CLASSES", Set.of(),
            "comma-separated class names", SinkSettings::names);
    public static final Setting<Boolean> OVERLAY_LEGEND = Setting.flag("SEGSTREAM_OVERLAY_LEGEND", false);
    public static final Setting<Boolean> OVERLAY_CAPTION = Setting.flag("SEGSTREAM_OVERLAY_CAPTION", false);
    public static final Setting<Double> STREAM_IDLE_SECONDS = Setting.positiveNumber("SEGSTREAM_STREAM_IDLE_SECONDS",
            (double) StreamLimits.DEFAULT_IDLE.toSeconds());
    public static final Setting<Integer> MAX_STREAMS = Setting.wholeNumber("SEGSTREAM_MAX_STREAMS", StreamLimits.DEFAULT_MAX_STREAMS,
            1, Integer.MAX_VALUE);
    public static final Setting<Integer> LIVE_PORT = Setting.port("SEGSTREAM_LIVE_PORT", LiveViewConfig.DEFAULT_PORT);
    public static final Setting<String> LIVE_BIND = Setting.text("SEGSTREAM_LIVE_BIND", LiveViewConfig.DEFAULT_BIND);
    public static final Setting<Integer> LIVE_MAX_VIEWERS = Setting.wholeNumber("SEGSTREAM_LIVE_MAX_VIEWERS",
            LiveViewConfig.DEFAULT_MAX_VIEWERS, 1, Integer.MAX_VALUE);
    public static final Setting<String> LIVE_USER = Setting.of("SEGSTREAM_LIVE_USER", LiveViewConfig.DEFAULT_USER,
            "a user name without ':'", text -> text.contains(":") ? null : text);
    public static final Setting<String> LIVE_PASSWORD = Setting.secret("SEGSTREAM_LIVE_PASSWORD");
    public static final Setting<Path> LIVE_PASSWORD_FILE = Setting.of("SEGSTREAM_LIVE_PASSWORD_FILE", null,
            "a readable file whose first line is the password", text -> Files.isReadable(Path.of(text)) ? Path.of(text) : null);
    public static final Setting<Double> RETENTION_MAX_AGE_HOURS = Setting.positiveNumber("SEGSTREAM_RETENTION_MAX_AGE_HOURS", null);
    public static final Setting<Double> RETENTION_MAX_GB = Setting.positiveNumber("SEGSTREAM_RETENTION_MAX_GB", null);

    public static final List<Setting<?>> ALL = List.of(GROUP_ID, OUT_DIR, WRITE_MASKS, H264_PRESET, H264_CRF, SEGMENT_SECONDS,
            OVERLAY_OPACITY, OVERLAY_CLASSES, OVERLAY_LEGEND, OVERLAY_CAPTION, STREAM_IDLE_SECONDS, MAX_STREAMS, LIVE_PORT, LIVE_BIND,
            LIVE_MAX_VIEWERS, LIVE_USER, LIVE_PASSWORD, LIVE_PASSWORD_FILE, RETENTION_MAX_AGE_HOURS, RETENTION_MAX_GB);

    private SinkSettings() {
    }

    static SinkConfig bind(Settings settings, KafkaConnection kafka) {
        var output = new SinkConfig.Output(settings.get(OUT_DIR), settings.get(WRITE_MASKS), settings.get(H264_PRESET),
                settings.get(H264_CRF), settings.get(SEGMENT_SECONDS));
        var overlay = new SinkConfig.Overlay(settings.get(OVERLAY_OPACITY), settings.get(OVERLAY_CLASSES), settings.get(OVERLAY_LEGEND),
                settings.get(OVERLAY_CAPTION));
        return new SinkConfig(kafka.bootstrapServers(), Topics.from(settings), settings.get(GROUP_ID), output, overlay,
                streamLimits(settings), liveView(settings), retention(settings), kafka.clientProperties());
    }

    /** SEGSTREAM_STREAM_IDLE_SECONDS (default 300) and SEGSTREAM_MAX_STREAMS (default 100). */
    static StreamLimits streamLimits(Settings settings) {
        return new StreamLimits(Duration.ofMillis(Math.round(1000 * settings.get(STREAM_IDLE_SECONDS))), settings.get(MAX_STREAMS));
    }

    /** The live page: loopback on 8080 by default, with a password (inline or from a file) or without. */
    static LiveViewConfig liveView(Settings settings) {
        return new LiveViewConfig(settings.get(LIVE_BIND), settings.get(LIVE_PORT), settings.get(LIVE_MAX_VIEWERS),
                settings.get(LIVE_USER), password(settings), LiveViewConfig.DEFAULT_KEEP_ALIVE, LiveViewConfig.DEFAULT_WRITE_TIMEOUT);
    }

    /** SEGSTREAM_RETENTION_MAX_AGE_HOURS and SEGSTREAM_RETENTION_MAX_GB (decimal; unset: no limit). */
    static RetentionLimits retention(Settings settings) {
        Double hours = settings.get(RETENTION_MAX_AGE_HOURS);
        Double gigabytes = settings.get(RETENTION_MAX_GB);
        return new RetentionLimits(hours == null ? null : Duration.ofSeconds(Math.max(1, Math.round(3600 * hours))),
                gigabytes == null ? 0 : Math.round(1e9 * gigabytes));
    }

    private static String password(Settings settings) {
        String inline = settings.get(LIVE_PASSWORD);
        Path file = settings.get(LIVE_PASSWORD_FILE);
        if (inline != null && file != null) {
            throw new ConfigException("set " + LIVE_PASSWORD.name() + " or " + LIVE_PASSWORD_FILE.name() + ", not both");
        }
        if (file == null) {
            return inline;
        }
        try {
            String firstLine = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (firstLine.isEmpty()) {
                throw new ConfigException(LIVE_PASSWORD_FILE.name() + " is '" + file + "', which holds no password on its first line");
            }
            return firstLine;
        } catch (IOException e) {
            throw new ConfigException(LIVE_PASSWORD_FILE.name() + " is '" + file + "', which cannot be read: " + e.getMessage());
        }
    }

    private static Set<String> names(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                out.add(name.trim());
            }
        }
        return out;
    }
}
