package org.segstream.ingest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.segstream.contract.SourceKind;

/**
 * One video source named on the command line: {@code [name=]path-or-url}. Without a name, the
 * stream id is the file's base name (without extension) or the URL's last path segment.
 */
public record SourceSpec(String stream, String location, SourceKind kind, SourceOptions options) {

    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<String> LIVE_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt");
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    /** A V4L2 camera: {@code /dev/videoN} or {@code v4l2:///dev/videoN}. */
    private static final Pattern V4L2 = Pattern.compile("^(?:(?i:v4l2)://)?(/dev/video\\d+)$");

    public SourceSpec(String stream, String location, SourceKind kind) {
        this(stream, location, kind, SourceOptions.DEFAULT);
    }

    public SourceSpec {
        java.util.Objects.requireNonNull(options, "options");
        if (!STREAM_ID.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream id '" + stream
                    + "' must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
        if (stream.chars().allMatch(c -> c == '.')) {
            throw new IllegalArgumentException("stream id '" + stream + "' must not be only dots");
        }
    }

    public static SourceSpec parse(String argument) {
        String name = null;
        String location = argument;
        int eq = argument.indexOf('=');
        // "name=..." unless the '=' belongs to a URL's query string.
        if (eq > 0 && !argument.substring(0, eq).contains("/") && !argument.substring(0, eq).contains(":")) {
            name = argument.substring(0, eq);
            location = argument.substring(eq + 1);
        }
        if (location.isBlank()) {
            throw new IllegalArgumentException("source '" + argument + "' names no path or URL");
        }
        var device = V4L2.matcher(location.trim());
        if (device.matches()) { // a camera: live, read with FFmpeg's video4linux2 input
            String path = device.group(1);
            return new SourceSpec(name == null ? path.substring("/dev/".length()) : name, path, SourceKind.LIVE);
        }
        boolean url = URL.matcher(location).matches();
        SourceKind kind = url && LIVE_SCHEMES.contains(scheme(location)) ? SourceKind.LIVE : SourceKind.FILE;
        if (name == null) {
            name = defaultName(location, url);
        }
        return new SourceSpec(name, location, kind);
    }

    /**
     * Refuses two sources with one stream name: their sessions would interleave on one key and their
     * outputs mix. Throws {@link IllegalArgumentException} naming the stream and both sources.
     */
    public static void requireDistinctStreams(java.util.List<SourceSpec> sources) {
        java.util.Map<String, SourceSpec> seen = new java.util.HashMap<>();
        for (SourceSpec source : sources) {
            SourceSpec before = seen.putIfAbsent(source.stream(), source);
            if (before != null) {
                throw new IllegalArgumentException("stream '" + source.stream() + "' is named twice (" + before.redactedLocation()
                        + " and " + source.redactedLocation() + "); give each source its own name: NAME=SOURCE");
            }
        }
    }

    public SourceSpec withOptions(SourceOptions newOptions) {
        return new SourceSpec(stream, location, kind, newOptions);
    }

    /** A local directory: its video files are read one after another, in name order. */
    public boolean isDirectory() {
        return !isUrl() && java.nio.file.Files.isDirectory(Path.of(location));
    }

    /** A V4L2 camera device ({@code /dev/videoN}), read with FFmpeg's video4linux2 input format. */
    public boolean isDevice() {
        return V4L2.matcher(location).matches() && !isUrl();
    }

    /** The location as it may be shown (logs, summaries): a URL's password and secret query values masked. */
    public String redactedLocation() {
        return isUrl() ? Credentials.redact(location) : location;
    }

    public boolean isUrl() {
        return URL.matcher(location).matches();
    }

    private static String scheme(String location) {
        return location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
    }

    private static String defaultName(String location, boolean url) {
        String last;
        if (url) {
            String path = URI.create(location.replace(" ", "%20")).getPath();
            last = path == null || path.isEmpty() || path.equals("/") ? URI.create(location).getHost() : Path.of(path).getFileName().toString();
        } else {
            last = Path.of(location).getFileName().toString();
        }
        int dot = last.lastIndexOf('.');
        String base = dot > 0 ? last.substring(0, dot) : last;
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? "stream" : cleaned.substring(0, Math.min(128, cleaned.length()));
    }
}
