package org.segstream.sink;

import java.time.Duration;

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

    /** Never shows the password. */
    @Override
    public String toString() {
        return "LiveViewConfig[bind=" + bind + ", port=" + port + ", maxViewers=" + maxViewers + ", user=" + user
                + ", password=" + (password == null ? "(none)" : "(set)") + ", keepAlive=" + keepAlive + ", writeTimeout="
                + writeTimeout + "]";
    }
}
