package org.segstream.ingest;

import java.io.PrintStream;

/** One updating line on stderr for a file read on an interactive console: frames done, position, rate. */
final class Progress {
    private static final long EVERY_NANOS = 500_000_000L;

    private final String stream;
    private final long totalFrames;
    private final double sourceFps;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private long frames;
    private long lastPrint;
    private long lastPts;

    Progress(String stream, long totalFrames, double sourceFps) {
        this(stream, totalFrames, sourceFps, System.err);
    }

    Progress(String stream, long totalFrames, double sourceFps, PrintStream out) {
        this.stream = stream;
        this.totalFrames = totalFrames;
        this.sourceFps = sourceFps;
        this.out = out;
    }

    void frame(long ptsMicros) {
        frames++;
        lastPts = ptsMicros;
        long now = System.nanoTime();
        if (now - lastPrint >= EVERY_NANOS) {
            lastPrint = now;
            out.print("\r" + line(now) + "\u001b[K");
            out.flush();
        }
    }

    void done(long sent) {
        out.print("\r" + line(System.nanoTime()) + ", " + sent + " sent\u001b[K\n");
        out.flush();
    }

    String line(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String total = totalFrames > 0 ? "/" + totalFrames + String.format(" (%.0f %%)", 100.0 * frames / totalFrames) : "";
        String duration = totalFrames > 0 && sourceFps > 0 ? String.format(" of %.1f s", totalFrames / sourceFps) : "";
        return String.format("%s: %d%s frames, at %.1f s%s, %.1f fps", stream, frames, total, lastPts / 1e6, duration, frames / seconds);
    }
}
