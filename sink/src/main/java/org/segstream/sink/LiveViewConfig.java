package org.segstream.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The live page's settings.
 *
 * @param bind         address to listen on; loopback by default, so a standalone sink shows no camera to
 *                     the network unless told to
 * @param port         0 picks a free port; the launcher treats -1 as "no live page"
 * @param maxViewers   MJPEG viewers served at once; one more is answered 503 (each viewer holds a thread)
 * @param user         with {@code password}: HTTP Basic authentication on every path
 * @param password     null: no authentication
 * @param keepAlive    an MJPEG viewer gets the last picture again after this long without a new one, so
 *                     a viewer that left is noticed (the write fails) and its thread freed
 * @param writeTimeout a viewer that takes longer than this to accept one picture (it stopped reading) is
 *                     disconnected
 */
public record LiveViewConfig(String bind, int port, int maxViewers, String user, String password, Duration keepAlive,
                             Duration writeTimeout) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_VIEWERS = 32;
    public static final String DEFAULT_USER = "segstream";
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

    public LiveViewConfig {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("the live page's bind address is empty");
        }
        if (maxViewers < 1) {
            throw new IllegalArgumentException("at most " + maxViewers + " live viewers: must be at least 1");
        }
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException("the live page's password is empty; leave it unset for no authentication");
        }
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("the live page's user name must be non-empty and without ':'");
        }
        if (keepAlive.isNegative() || keepAlive.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("keep-alive " + keepAlive + " and write timeout " + writeTimeout + " must be positive");
        }
    }

    /** Loopback on {@code port}, no authentication, the default limits. */
    public static LiveViewConfig on(String bind, int port) {
        return new LiveViewConfig(bind, port, DEFAULT_MAX_VIEWERS, DEFAULT_USER, null, DEFAULT_KEEP_ALIVE, DEFAULT_WRITE_TIMEOUT);
    }

    public boolean authenticates() {
        return password != null;
    }

    public LiveViewConfig withPort(int newPort) {
        return new LiveViewConfig(bind, newPort, maxViewers, user, password, keepAlive, writeTimeout);
    }

    public LiveViewConfig withLogin(String newUser, String newPassword) {
        return new LiveViewConfig(bind, port, maxViewers, newUser, newPassword, keepAlive, writeTimeout);
    }

    public LiveViewConfig withViewerLimits(int newMaxViewers, Duration newKeepAlive, Duration newWriteTimeout) {
        return new LiveViewConfig(bind, port, newMaxViewers, user, password, newKeepAlive, newWriteTimeout);
    }

    /**
     * From SEGSTREAM_LIVE_BIND (default 127.0.0.1), SEGSTREAM_LIVE_PORT (default 8080, -1: off),
     * SEGSTREAM_LIVE_MAX_VIEWERS (default 32), SEGSTREAM_LIVE_USER (default segstream) and
     * SEGSTREAM_LIVE_PASSWORD or SEGSTREAM_LIVE_PASSWORD_FILE (the file's first line; unset: no authentication).
     */
    public static LiveViewConfig fromEnv(Map<String, String> env) {
        String portText = env.getOrDefault("SEGSTREAM_LIVE_PORT", String.valueOf(DEFAULT_PORT)).trim();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SEGSTREAM_LIVE_PORT is '" + portText + "', expected a port number (-1: off)");
        }
        return new LiveViewConfig(env.getOrDefault("SEGSTREAM_LIVE_BIND", DEFAULT_BIND).trim(), port,
                EnvValues.positiveInt(env, "SEGSTREAM_LIVE_MAX_VIEWERS", DEFAULT_MAX_VIEWERS),
                env.getOrDefault("SEGSTREAM_LIVE_USER", DEFAULT_USER), password(env), DEFAULT_KEEP_ALIVE, DEFAULT_WRITE_TIMEOUT);
    }

    private static String password(Map<String, String> env) {
        String inline = env.get("SEGSTREAM_LIVE_PASSWORD");
        String file = env.get("SEGSTREAM_LIVE_PASSWORD_FILE");
        if (inline != null && !inline.isEmpty() && file != null && !file.isEmpty()) {
            throw new IllegalArgumentException("set SEGSTREAM_LIVE_PASSWORD or SEGSTREAM_LIVE_PASSWORD_FILE, not both");
        }
        if (file != null && !file.isEmpty()) {
            try {
                String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
                String firstLine = text.lines().findFirst().orElse("").strip();
                if (firstLine.isEmpty()) {
                    throw new IllegalArgumentException("SEGSTREAM_LIVE_PASSWORD_FILE " + file + " holds no password");
                }
                return firstLine;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read SEGSTREAM_LIVE_PASSWORD_FILE " + file + ": " + e.getMessage(), e);
            }
        }
        return inline == null || inline.isEmpty() ? null : inline;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "LiveViewConfig[bind=" + bind + ", port=" + port + ", maxViewers=" + maxViewers + ", user=" + user
                + ", password=" + (password == null ? "(none)" : "(set)") + ", keepAlive=" + keepAlive + ", writeTimeout="
                + writeTimeout + "]";
    }
}
