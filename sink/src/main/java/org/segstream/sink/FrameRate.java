package org.segstream.sink;

import java.time.Duration;

/**
 * Frames per second, and dropped frames per second, of one stream over a sliding 5 s window.
 * Arrivals are counted in 100 ms buckets (a ring of 50), so memory is fixed whatever the rate.
 * Thread-safe: the sink's thread records, HTTP threads read. Times are {@link System#nanoTime()}
 * readings (a test passes its own).
 *
 * <p>Masks reach the sink in batches (4 frames within a few milliseconds, then nothing for 800 ms
 * at 5 fps), so counting the arrivals inside the window would jump by a whole batch each time one
 * enters or leaves it. Instead each bucket's frames are spread evenly over the time since the
 * bucket with frames before it, and the window counts the share that falls inside it. A bucket
 * right after another (a batch split by a 100 ms boundary, or simply a fast stream) spreads over
 * the two gaps before it, so a split batch spreads like a whole one.
 *
 * <p>The rate is over the time the window has seen the stream: from the start of the window, or
 * from the stream's first frame if that is later, so a new stream reads right from its second
 * frame. A gap longer than the window starts the count afresh, as for a new stream. Once a stream
 * is later than its longest gap in the window, the wait counts too: a stream that stops decays to
 * 0 over the window.
 */
public final class FrameRate {
    /** The window over which both rates are figured. */
    public static final Duration WINDOW = Duration.ofSeconds(5);

    private static final long TICK_NANOS = Duration.ofMillis(100).toNanos();
    private static final int TICKS = (int) (WINDOW.toNanos() / TICK_NANOS);
    private static final double TICKS_PER_SECOND = 1e9 / TICK_NANOS;
    /** Drops reported just after a stream starts are spread over at least this much time, not a few milliseconds. */
    private static final int MIN_DROP_TICKS = 10;
    private static final long NONE = Long.MIN_VALUE;

    /** One 100 ms slot of the ring: which tick it holds, what arrived in it, and where its frames spread from. */
    private static final class Bucket {
        long tick = NONE;
        long frames;
        long dropped;
        /** The previous tick with frames, or NONE if this bucket starts the count. */
        long previousFrameTick;
        /** Its frames are spread over the ticks after this one, up to its own. */
        long spreadFromTick;

        void reset(long newTick) {
            tick = newTick;
            frames = 0;
            dropped = 0;
            previousFrameTick = NONE;
            spreadFromTick = NONE;
        }
    }

    private final Bucket[] ring = new Bucket[TICKS];
    private long lastTick = NONE;
    private long firstTick = NONE;
    private long lastFrameTick = NONE;
    /** The latest tick with frames after none for a whole window (or ever). */
    private long freshStartTick = NONE;
    /** The previous frame tick of the bucket at {@code lastFrameTick}. */
    private long lastFramePrevious = NONE;

    public FrameRate() {
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new Bucket();
        }
    }

    /** One frame arrived at {@code nowNanos}. */
    public synchronized void frame(long nowNanos) {
        long tick = arrival(nowNanos);
        Bucket bucket = bucket(tick);
        if (bucket.frames == 0) {
            boolean freshStart = lastFrameTick == NONE || tick - lastFrameTick >= TICKS;
            if (freshStart) {
                freshStartTick = tick;
            }
            // the rest of a first batch split by a 100 ms boundary only marks the start too
            boolean startsToo = freshStart || tick - 1 == freshStartTick && lastFrameTick == freshStartTick;
            boolean adjacent = tick - lastFrameTick == 1 && lastFramePrevious != NONE;
            bucket.previousFrameTick = startsToo ? NONE : lastFrameTick;
            bucket.spreadFromTick = startsToo ? NONE : adjacent ? lastFramePrevious : lastFrameTick;
            lastFramePrevious = bucket.previousFrameTick;
            lastFrameTick = tick;
        }
        bucket.frames++;
    }

    /** {@code count} frames of the stream will never arrive (shed upstream, gone from the frames topic). */
    public synchronized void dropped(long count, long nowNanos) {
        bucket(arrival(nowNanos)).dropped += count;
    }

    /** Frames per second over the window ending at {@code nowNanos}; 0 for a stream with no frames in it. */
    public synchronized double perSecond(long nowNanos) {
        long now = tick(nowNanos);
        long windowStart = now - TICKS; // the window is the ticks after this one, up to now
        double frames = 0;
        long newest = NONE;
        long start = windowStart;
        long longestGap = 0;
        for (Bucket b : ring) {
            if (b.frames == 0 || b.tick <= windowStart || b.tick > now) {
                continue;
            }
            newest = Math.max(newest, b.tick);
            if (b.previousFrameTick == NONE) {
                start = Math.max(start, b.tick); // its frames only mark when the count starts
                continue;
            }
            longestGap = Math.max(longestGap, b.tick - b.previousFrameTick);
            long from = b.spreadFromTick;
            frames += (double) b.frames * (b.tick - Math.max(from, windowStart)) / (b.tick - from);
        }
        if (newest == NONE) {
            return 0;
        }
        long overdue = Math.max(0, now - newest - longestGap - 1); // a tick of slack: ticks round arrival times
        long span = newest - start + overdue;
        return span <= 0 ? 0 : frames / span * TICKS_PER_SECOND;
    }

    /** Dropped frames per second over the window ending at {@code nowNanos}. */
    public synchronized double droppedPerSecond(long nowNanos) {
        long now = tick(nowNanos);
        long windowStart = now - TICKS;
        long dropped = 0;
        for (Bucket b : ring) {
            if (b.tick > windowStart && b.tick <= now) {
                dropped += b.dropped;
            }
        }
        if (dropped == 0) {
            return 0;
        }
        long span = Math.max(MIN_DROP_TICKS, now - Math.max(windowStart, firstTick));
        return dropped / (double) span * TICKS_PER_SECOND;
    }

    /** The bucket of {@code tick}, emptied first if it still holds a tick that left the window. */
    private Bucket bucket(long tick) {
        Bucket b = ring[(int) Math.floorMod(tick, (long) TICKS)];
        if (b.tick != tick) {
            b.reset(tick);
        }
        return b;
    }

    private long arrival(long nowNanos) {
        long tick = tick(nowNanos);
        if (firstTick == NONE) {
            firstTick = tick;
        }
        return tick;
    }

    /** 100 ms ticks; never backwards, so callers on different threads may pass slightly older readings. */
    private long tick(long nowNanos) {
        long tick = Math.floorDiv(nowNanos, TICK_NANOS);
        if (lastTick == NONE || tick > lastTick) {
            lastTick = tick;
        }
        return lastTick;
    }
}
