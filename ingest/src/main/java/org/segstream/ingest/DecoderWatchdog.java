package org.segstream.ingest;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one session's decoder on a daemon thread of its own and gives every call a deadline, so that
 * a decoder that blocks without producing a frame (a peer that keeps sending data that never
 * decodes, which no read timeout notices; a device or mount that hangs) fails the session instead
 * of hanging ingest. A stuck call cannot be cancelled from outside FFmpeg, so its thread is
 * abandoned: it closes the decoder itself when the call eventually returns.
 */
final class DecoderWatchdog implements AutoCloseable {
    private final SourceSpec source;
    private final Duration frameTimeout;
    private final ExecutorService thread;
    /** Written and read on the decoder thread only (the futures order the session thread's reads). */
    private volatile VideoDecoder decoder;
    private boolean abandoned;

    DecoderWatchdog(SourceSpec source, Duration frameTimeout) {
        this.source = source;
        this.frameTimeout = frameTimeout;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "segstream-decoder-" + source.stream());
            t.setDaemon(true); // an abandoned decoder never keeps the JVM alive
            return t;
        });
    }

    /** Opens the decoder; the probe may take up to {@code timeout}. */
    VideoDecoder open(Callable<VideoDecoder> opener, Duration timeout) throws SourceException {
        return call(() -> {
            VideoDecoder opened = opener.call();
            decoder = opened;
            return opened;
        }, timeout, "opening");
    }

    /** The next frame (null at the end), or a {@link DecoderStalledException} when none came within the frame timeout. */
    DecodedFrame next() throws SourceException {
        VideoDecoder d = decoder;
        return call(d::next, frameTimeout, "decoding");
    }

    void seek(long micros) throws SourceException {
        VideoDecoder d = decoder;
        call(() -> {
            d.seek(micros);
            return null;
        }, frameTimeout, "seeking");
    }

    private <T> T call(Callable<T> task, Duration timeout, String what) throws SourceException {
        if (abandoned) {
            throw new IllegalStateException("the decoder of '" + source.stream() + "' was abandoned");
        }
        Future<T> result = thread.submit(task);
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon();
            throw new DecoderStalledException(source, String.format(java.util.Locale.ROOT,
                    "no frame decoded for %.1f s (%s blocked); decoder abandoned", timeout.toMillis() / 1000.0, what));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException failed) {
                throw failed;
            }
            throw new SourceException(source, what + " failed: " + String.valueOf(e.getCause()).replace('\n', ' '), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new SourceException(source, "interrupted while " + what);
        }
    }

    /** Leaves the stuck call to its thread, which then closes the decoder and ends. */
    private void abandon() {
        abandoned = true;
        thread.execute(() -> {
            VideoDecoder d = decoder;
            if (d != null) {
                d.close();
            }
        });
        thread.shutdown();
    }

    @Override
    public void close() {
        if (!abandoned) {
            try {
                call(() -> {
                    VideoDecoder d = decoder;
                    if (d != null) {
                        d.close();
                    }
                    return null;
                }, frameTimeout, "closing");
            } catch (SourceException e) {
                // abandoned: the decoder thread closes it when it can
            }
        }
        thread.shutdown();
    }

    /** The decoder produced no frame within its timeout while blocked. */
    static final class DecoderStalledException extends SourceException {
        DecoderStalledException(SourceSpec source, String reason) {
            super(source, reason);
        }
    }
}
