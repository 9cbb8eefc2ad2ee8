package org.segstream.bench;

import org.segstream.ingest.SourceOptions;

/**
 * One pipeline row of the benchmark: how many streams of the clip, how they are paced, the batch size,
 * and how many seconds of the clip each stream sends.
 */
record BenchScenario(int streams, Pacing pacing, int batch, double secondsPerStream) {

    /** How ingest publishes: as fast as it can, at the file's own rate, or at its own rate sampled down to {@code fps}. */
    record Pacing(String label, boolean realtime, double sampleFps) {
        static final Pacing FAST = new Pacing("fast", false, 0);
        static final Pacing NATIVE = new Pacing("realtime 25 fps", true, 0);

        /** Realtime, every stream sampled down to {@code fps}: a load the machine can keep up with. */
        static Pacing light(double fps) {
            return new Pacing(String.format("realtime %.0f fps", fps), true, fps);
        }
    }

    SourceOptions sourceOptions() {
        return new SourceOptions(pacing.sampleFps(), 0, 0, 0, 0, secondsPerStream, pacing.realtime(), false, "tcp");
    }
}
