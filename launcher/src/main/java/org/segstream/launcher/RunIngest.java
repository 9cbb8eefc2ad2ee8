package org.segstream.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceSpec;
import org.segstream.service.ServiceLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run's ingest: one job per source, in parallel on one producer, each stopped with the run; progress logged. */
final class RunIngest {
    private static final Logger log = LoggerFactory.getLogger(RunIngest.class);

    private RunIngest() {
    }

    /** Runs every source to its end (or the run's stop) and returns their results in the sources' order. */
    static List<IngestResult> all(List<SourceSpec> sources, IngestConfig config, FrameProducer producer,
                                    IngestMetrics metrics, RunTracker tracker, ServiceLifecycle stop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, sources.size()), r -> {
            Thread t = new Thread(r, "segstream-ingest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<IngestResult>> futures = new ArrayList<>();
            for (SourceSpec source : sources) {
                var job = new IngestJob(source, config, producer, metrics);
                stop.onStop(job::stop);
                futures.add(pool.submit(job::run));
            }
            List<IngestResult> results = new ArrayList<>();
            for (Future<IngestResult> future : futures) {
                while (true) {
                    try {
                        results.add(future.get(5, TimeUnit.SECONDS));
                        break;
                    } catch (TimeoutException stillRunning) {
                        log.info("ingesting: {} frames written by the sink so far", tracker.totalWritten());
                    }
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
