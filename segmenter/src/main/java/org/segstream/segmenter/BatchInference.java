package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A formed batch's way through the model: its frames decoded at the model's size (a live frame already past its
 * deadline shed instead), packed and handed to the {@link InferenceRunner}; and a finished batch's masks put on
 * its frames at each frame's own size (or a dead letter on each if inference failed), its time recorded.
 */
final class BatchInference {
    private static final Logger log = LoggerFactory.getLogger(BatchInference.class);

    private final InferenceRunner runner;
    private final InputSizing sizing;
    private final long maxFramePixels;
    private final InferenceTimes times;
    private final SegmenterStats stats;
    private final LargeBatches largeBatches = new LargeBatches(60_000);
    private int fileBatchesInFlight;

    BatchInference(InferenceRunner runner, InputSizing sizing, long maxFramePixels, InferenceTimes times, SegmenterStats stats) {
        this.runner = runner;
        this.sizing = sizing;
        this.maxFramePixels = maxFramePixels;
        this.times = times;
        this.stats = stats;
    }

    /** Batches handed to the model and not yet applied. */
    int inFlight() {
        return runner.inFlight();
    }

    /** Batches without a live frame handed to the model and not yet applied. */
    int fileBatchesInFlight() {
        return fileBatchesInFlight;
    }

    private static boolean withoutLive(List<PendingFrame> batch) {
        return batch.stream().noneMatch(PendingFrame::isLive);
    }

    /** Frames' pixels in the batches handed to the model and not yet applied. */
    long pixelsInFlight() {
        return runner.pixelsInFlight();
    }

    /** Whether batches run inside {@link #submit} (tests on a simulated clock). */
    boolean inline() {
        return runner.inline();
    }

    /** Applies the batches that finished since the last call; never blocks. */
    void applyFinished() {
        runner.collect().forEach(this::apply);
    }

    /** Waits for the model to finish a batch and applies it; returns the milliseconds waited. */
    long awaitBatch() {
        long start = System.nanoTime();
        try {
            runner.awaitNext().forEach(this::apply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Kafka Streams is closing the thread; the batch's frames stay in their stores
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Decodes and packs the formed batch and hands it to the model; returns the ms inference took when it ran inline
     * (0 when it runs on its own thread).
     */
    long submit(List<PendingFrame> formed, long nowMillis) {
        List<PendingFrame> batch = decode(formed, nowMillis);
        if (batch.isEmpty()) {
            return 0;
        }
        int width = batch.get(0).modelInput.width();
        int height = batch.get(0).modelInput.height();
        List<BgrImage> images = new ArrayList<>(batch.size());
        for (PendingFrame frame : batch) {
            images.add(frame.modelInput);
            frame.modelInput = null;
        }
        ModelInputBuffer buffer = runner.buffer();
        ByteBuffer nhwc = buffer.pack(images);
        boolean release = largeBatches.release((long) width * height * batch.size(), nowMillis);
        fileBatchesInFlight += withoutLive(batch) ? 1 : 0;
        runner.submit(new InferenceRunner.Job(batch, buffer, nhwc, height, width, release));
        if (!runner.inline()) {
            return 0;
        }
        List<InferenceRunner.Done> done = runner.collect();
        done.forEach(this::apply);
        return done.stream().mapToLong(InferenceRunner.Done::nanos).sum() / 1_000_000;
    }

    /** The formed batch's frames decoded at the model's size; a live frame past its deadline is shed instead. */
    private List<PendingFrame> decode(List<PendingFrame> formed, long nowMillis) {
        List<PendingFrame> batch = new ArrayList<>(formed.size());
        for (PendingFrame frame : formed) {
            if (frame.isLive() && nowMillis > frame.deadlineMillis) {
                frame.dropped = LiveShedding.STALE;
                continue;
            }
            try {
                BgrImage image = JpegCodec.decode(frame.record.value(), frame.jpeg, maxFramePixels);
                frame.modelInput = sizing.toModel(image);
            } catch (BadRecordException e) {
                frame.fail(e.getMessage(), SegmentProcessor.INVALID);
                continue;
            } catch (RuntimeException e) {
                frame.fail("could not prepare the frame for the model: " + e, SegmentProcessor.ERROR);
                continue;
            }
            batch.add(frame);
            stats.batchWait(nowMillis - frame.queuedAtMillis);
        }
        return batch;
    }

    /** A finished batch's masks on its frames (at each frame's own size), or a dead letter for each if it failed. */
    private void apply(InferenceRunner.Done done) {
        List<PendingFrame> batch = done.job().frames();
        fileBatchesInFlight -= withoutLive(batch) ? 1 : 0;
        if (done.error() != null) {
            // The batch's frames get dead letters; the batcher goes on with the next batch.
            log.error("inference failed for a batch of {} frames of {}x{}: {}", batch.size(), done.job().width(), done.job().height(),
                    done.error().toString());
            for (PendingFrame frame : batch) {
                frame.fail("inference failed: " + done.error(), "inference");
            }
            return;
        }
        stats.batch(batch.size(), done.nanos());
        times.record(batch.size(), (long) done.job().width() * done.job().height(), done.nanos() / 1e6);
        Iterator<PendingFrame> frames = batch.iterator();
        for (ClassMap mask : done.masks()) {
            PendingFrame frame = frames.next();
            frame.result = InputSizing.toFrame(mask, frame.identity.width(), frame.identity.height());
        }
    }
}
