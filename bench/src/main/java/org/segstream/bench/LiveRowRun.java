package org.segstream.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.ingest.SourceOptions;
import org.segstream.launcher.PipelineRun;
import org.segstream.launcher.RunNamespace;
import org.segstream.launcher.RunOptions;
import org.segstream.launcher.RunSummary;
import org.segstream.service.ServiceLifecycle;
import org.segstream.verify.DeliveryReport;
import org.segstream.verify.DeliveryVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark row with live cameras: the whole pipeline on a running broker, in its own topics, until
 * the row's stop rule fires (live sources run until stopped); then the row's figures as the other rows
 * have them ({@link PipelineMeasurement.Result}), the run's summary, the latencies by source kind, and the
 * accounting of every frame read back from the topics alone.
 */
final class LiveRowRun {
    private static final Logger log = LoggerFactory.getLogger(LiveRowRun.class);
    /** After the stop, how long the verifier may wait for every session's end on the masks topic. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    /** When to stop the row's sources: returns when it is time (the row's topics are {@code topics}). */
    interface StopRule {
        void await(String bootstrapServers, Topics topics) throws Exception;
    }

    /**
     * The row's figures; {@code byStream}: each stream's accounting from the topics, {@code all}: every stream's;
     * {@code masks}: every record of the masks topic.
     */
    record Measured(PipelineMeasurement.Result result, RunSummary summary, AllStreamsLatency latencies,
                    Map<String, DeliveryReport> byStream, DeliveryReport all, List<MasksTopic.Entry> masks) {

        RunSummary.Row row(String stream) {
            return summary.streams().stream().filter(r -> r.stream().equals(stream)).findFirst().orElseThrow();
        }
    }

    private LiveRowRun() {
    }

    /**
     * Runs {@code sources} (files are read as fast as they go, for at most {@code fileSeconds}) until
     * {@code rule} fires, then stops every source as SIGTERM would: each session ends, the pipeline drains.
     */
    static Measured run(String bootstrapServers, RunOptions run, BenchScenario scenario, List<String> sources, double fileSeconds,
                        Path outDir, String namespace, StopRule rule) throws Exception {
        var probe = new PipelineMeasurement.RowProbe();
        var fast = new SourceOptions(0, 0, 0, 0, 0, fileSeconds, false, false, "tcp");
        var options = new PipelineRun.Options(sources, outDir, run.model(), scenario.batch(), false, run.partitions(), run.device(),
                -1, -1, false, namespace, fast, Settings.of(Map.of()));
        Topics topics = new RunNamespace(namespace).topics();
        var stop = new ServiceLifecycle();
        Thread stopper = stopper(bootstrapServers, topics, namespace, rule, stop);
        PipelineRun.Outcome outcome;
        try {
            outcome = PipelineRun.runOn(bootstrapServers, options, new PrintStream(OutputStream.nullOutputStream()), stop, probe);
        } finally {
            stopper.interrupt();
        }
        var result = PipelineMeasurement.result(scenario, outcome.summary(), probe, PipelineMeasurement.LATENCY_WARMUP_MS);
        try (var verifier = DeliveryVerifier.of(bootstrapServers, topics)) {
            if (!verifier.awaitSettled(stream -> true, SETTLE_TIMEOUT)) {
                log.warn("bench: row {}: some sessions never ended on the masks topic", namespace);
            }
            verifier.catchUp();
            Map<String, DeliveryReport> byStream = new TreeMap<>();
            for (RunSummary.Row row : outcome.summary().streams()) {
                byStream.put(row.stream(), verifier.report(row.stream()::equals));
            }
            List<MasksTopic.Entry> masks = new MasksTopic(bootstrapServers, topics.masks()).readAll(SETTLE_TIMEOUT);
            return new Measured(result, outcome.summary(), probe.latencies(), byStream, verifier.report(stream -> true),
                    masks == null ? List.of() : masks);
        }
    }

    /** A daemon thread that waits for {@code rule}, then requests {@code stop} (at once if the rule fails). */
    private static Thread stopper(String bootstrapServers, Topics topics, String namespace, StopRule rule, ServiceLifecycle stop) {
        Thread stopper = new Thread(() -> {
            try {
                rule.await(bootstrapServers, topics);
            } catch (InterruptedException e) {
                return; // the row ended otherwise
            } catch (Exception e) {
                log.warn("bench: the stop rule of row {} failed ({}); stopping the row now", namespace, e.toString());
            }
            log.info("bench: row {}: stopping the sources", namespace);
            stop.request("TERM");
        }, "segstream-bench-stop");
        stopper.setDaemon(true);
        stopper.start();
        return stopper;
    }
}
