package org.segstream.ingest;

/**
 * Which decoded frames of a session are published: those of the source's window ({@code start},
 * {@code duration}; a live source has none) at the sampling rate ({@code fps}). Frames come in pts order.
 */
final class FrameWindow {
    /** What to do with a decoded frame. */
    enum Verdict { PUBLISH, SKIP, PAST_END }

    /** A frame up to this much before the start (a seek lands on the frame at or just before it) still counts. */
    private static final long START_SLACK_MICROS = 1000;

    private final long startMicros;
    private final long endMicros;
    private final FrameSampler sampler;

    FrameWindow(SourceOptions options, boolean live) {
        this.startMicros = live ? 0 : Math.round(options.startSeconds() * 1e6);
        this.endMicros = live || options.durationSeconds() == 0 ? Long.MAX_VALUE
                : startMicros + Math.round(options.durationSeconds() * 1e6);
        this.sampler = new FrameSampler(options.fps());
    }

    /** Where the decoder should seek to before the first frame; 0: read from the beginning. */
    long startMicros() {
        return startMicros;
    }

    Verdict judge(long ptsMicros) {
        if (ptsMicros >= endMicros) {
            return Verdict.PAST_END;
        }
        if (ptsMicros < startMicros - START_SLACK_MICROS || !sampler.keep(ptsMicros)) {
            return Verdict.SKIP;
        }
        return Verdict.PUBLISH;
    }
}
