package org.segstream.sink;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.LongSupplier;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's live page: every stream with its latest overlay, fps, end-to-end latency and drop
 * counts, and whether it is still live. {@code /} the page, {@code /api/streams} the figures as JSON,
 * {@code /frame/<stream>.jpg} the latest overlay, {@code /live/<stream>.mjpg} an MJPEG stream (VLC,
 * ffplay, browsers). Overlays are JPEG-encoded only when someone asks for them. Rates are over the
 * last {@link FrameRate#WINDOW}; a stream silent for longer than {@link StreamStatus#offlineAfter}
 * shows as offline with 0 fps.
 *
 * <p>It stays small whatever comes: at most {@link StreamLimits#maxStreams()} streams, each
 * forgotten after {@link StreamLimits#idle()} without a frame (or when the sink stops tracking it);
 * a fixed pool of threads, with at most {@link LiveViewConfig#maxViewers()} MJPEG viewers (503
 * beyond); a viewer gets its last picture again every {@link LiveViewConfig#keepAlive()}, so one that
 * left is noticed within seconds, and one that stops reading is cut off after
 * {@link LiveViewConfig#writeTimeout()}. With a password set, every path asks for HTTP Basic
 * authentication, which browsers, VLC ({@code http://user:password@host:port/live/cam.mjpg}), ffplay
 * and curl ({@code -u}) all speak.
 *
 * <p>The parts: {@link LiveHttp} (routing, threads, sign-in, write timeouts), {@link ShownStreams} (what
 * is shown, bounded), {@link LivePage} (the page, its JSON and pictures), {@link MjpegViewers} (video).
 */
public final class LiveView implements SinkListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);

    private final LiveHttp http;
    private final ShownStreams streams;
    private volatile boolean open = true;

    private LiveView(LiveHttp http, ShownStreams streams) {
        this.http = http;
        this.streams = streams;
    }

    /** Serves the page on {@code bind}:{@code port} (0 picks a free port), without a password, with the default limits. */
    public static LiveView start(String bind, int port) throws IOException {
        return start(LiveViewConfig.on(bind, port), StreamLimits.DEFAULTS);
    }

    /** Serves the page as {@code config} says, keeping at most as many streams as {@code limits} allow. */
    public static LiveView start(LiveViewConfig config, StreamLimits limits) throws IOException {
        return start(config, limits, System::nanoTime);
    }

    /** As {@link #start(String, int)}, with the times of frames and readings taken from {@code nanoClock} (tests). */
    static LiveView start(String bind, int port, LongSupplier nanoClock) throws IOException {
        return start(LiveViewConfig.on(bind, port), StreamLimits.DEFAULTS, nanoClock);
    }

    /** As {@link #start(LiveViewConfig, StreamLimits)}, with the times of frames and readings taken from {@code nanoClock} (tests). */
    static LiveView start(LiveViewConfig config, StreamLimits limits, LongSupplier nanoClock) throws IOException {
        var view = new LiveView(new LiveHttp(config), new ShownStreams(limits, nanoClock));
        var page = new LivePage(view.streams);
        var viewers = new MjpegViewers(config, view.streams, () -> view.open);
        view.http.route("/", page::page);
        view.http.route("/api/streams", page::streamsJson);
        view.http.route("/frame/", page::frameJpeg);
        view.http.route("/live/", viewers::serve);
        view.http.start();
        log.info("live view on http://{}:{}/ ({}; at most {} video viewers)", config.bind(), view.port(),
                config.authenticates() ? "sign-in required" : "no sign-in", config.maxViewers());
        if (!config.authenticates() && !InetAddress.getByName(config.bind()).isLoopbackAddress()) {
            log.warn("the live page listens on {} without a password: anyone who reaches port {} sees every stream"
                    + " (set SEGSTREAM_LIVE_PASSWORD or SEGSTREAM_LIVE_PASSWORD_FILE)", config.bind(), view.port());
        }
        return view;
    }

    public int port() {
        return http.port();
    }

    /** Streams the page holds now. */
    int streamCount() {
        return streams.size();
    }

    @Override
    public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        streams.frameWritten(frame, overlay, timeline.endToEndMillis());
    }

    /** Gaps and frames gone from the frames topic, for a stream the page already shows. */
    @Override
    public void framesMissing(String stream, long count, String reason) {
        streams.framesMissing(stream, count);
    }

    @Override
    public void streamEvicted(String stream) {
        streams.forget(stream);
    }

    @Override
    public void close() {
        open = false;
        http.close();
    }
}
