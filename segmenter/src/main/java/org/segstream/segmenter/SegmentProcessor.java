package org.segstream.segmenter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.Headers;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MaskStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's share of the segmenter: admits frames, hands them to its thread's {@link FrameBatcher},
 * and forwards masks strictly in arrival order.
 *
 * <p>Nothing is lost on a crash: a frame is put in the task's changelogged store when admitted
 * and deleted in the same step that forwards its mask. The store's cache is flushed before every
 * commit, so the changelog holds the frames still pending at a commit. Under exactly_once_v2 the
 * store, the masks and the input offsets commit together, so after a kill -9 the restored store
 * holds exactly the frames whose masks were not yet committed, and they are processed again.
 */
final class SegmentProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(SegmentProcessor.class);

    static final String STORE = "pending-frames";
    static final String TO_MASKS = "masks";
    static final String TO_DEAD_LETTERS = "dead-letters";
    static final String TO_STATS = "stats";

    private final Supplier<FrameBatcher> batcherOfThisThread;
    private final SegmenterStats stats;
    private final String modelLabel;
    private final long maxPixels;
    private final Duration tick;
    private final ArrayDeque<PendingFrame> inOrder = new ArrayDeque<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<Long, byte[]> store;
    private FrameBatcher batcher;
    private Cancellable ticking;

    SegmentProcessor(Supplier<FrameBatcher> batcherOfThisThread, SegmenterStats stats, String modelLabel, long maxPixels, Duration tick) {
        this.batcherOfThisThread = batcherOfThisThread;
        this.stats = stats;
        this.modelLabel = modelLabel;
        this.maxPixels = maxPixels;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.batcher = batcherOfThisThread.get();
        int restored = 0;
        try (KeyValueIterator<Long, byte[]> pending = store.all()) {
            while (pending.hasNext()) {
                StoredRecord record = StoredRecord.decode(pending.next().value);
                // Admitted before, so it passed the checks; decode it again for inference.
                PendingFrame frame = PendingFrame.admit(record, this, maxPixels);
                frame.arrivedAtMillis = System.currentTimeMillis();
                enqueue(frame);
                restored++;
            }
        }
        if (restored > 0) {
            log.info("task {}: {} frames restored from the pending-frames store will be segmented again", context.taskId(), restored);
        }
        tickWhileFramesWait();
    }

    /**
     * The wall-clock tick runs only while this task has frames in flight. Kafka Streams commits after
     * every punctuation, and under exactly_once_v2 each commit is a transaction: a tick that ran while
     * idle would cost the broker a transaction every commit interval for nothing.
     */
    private void tickWhileFramesWait() {
        if (ticking == null && !inOrder.isEmpty()) {
            ticking = context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
                batcher.runDue(now);
                forwardFinished();
                if (inOrder.isEmpty()) {
                    ticking.cancel();
                    ticking = null;
                }
            });
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long arrived = System.currentTimeMillis(); // the real clock, not the thread's cached one: it stamps a header
        RecordMetadata source = context.recordMetadata().orElseThrow();
        var stored = new StoredRecord(source.partition(), source.offset(), record.timestamp(), record.key(),
                record.headers(), record.value() == null ? new byte[0] : record.value());
        PendingFrame frame;
        try {
            frame = PendingFrame.admit(stored, this, maxPixels);
        } catch (BadRecordException e) {
            deadLetter(stored, e.getMessage(), "invalid");
            return;
        }
        frame.arrivedAtMillis = arrived;
        store.put(source.offset(), stored.encode());
        if (!frame.isEnd()) {
            stats.admitted(now() - frame.identity.latencyOriginMs());
        }
        enqueue(frame);
        batcher.runReady(now());
        forwardFinished();
        tickWhileFramesWait();
    }

    private void enqueue(PendingFrame frame) {
        inOrder.addLast(frame);
        if (!frame.isEnd()) {
            batcher.add(frame, now());
        }
    }

    /** The stream thread's clock (mock time under TopologyTestDriver); it reads 0 until the task first runs. */
    private long now() {
        long cached = context.currentSystemTimeMs();
        return cached > 0 ? cached : System.currentTimeMillis();
    }

    /** Forwards, in arrival order, every frame at the head whose mask is ready (and markers after them). */
    private void forwardFinished() {
        boolean forwarded = false;
        while (!inOrder.isEmpty() && inOrder.peekFirst().done()) {
            forwarded = true;
            PendingFrame frame = inOrder.pollFirst();
            StoredRecord in = frame.record;
            if (frame.failure != null) {
                deadLetter(in, frame.failure, "inference");
            } else if (frame.dropped != null) {
                stats.dropped(frame.identity.stream(), frame.dropped);
            } else if (frame.isEnd()) {
                context.forward(new Record<>(in.key(), new byte[0], in.timestamp(), copy(in.headers())), TO_MASKS);
            } else {
                var headers = copy(in.headers());
                Headers.put(headers, Headers.ENCODING, "png");
                Headers.put(headers, Headers.FRAME_PARTITION, in.partition());
                Headers.put(headers, Headers.FRAME_OFFSET, in.offset());
                Headers.put(headers, Headers.MODEL, modelLabel);
                long encodeStart = System.nanoTime();
                byte[] png = MaskPng.encode(frame.result);
                stats.maskEncoded(System.nanoTime() - encodeStart);
                Headers.put(headers, Headers.SEGMENTER_IN_MS, frame.arrivedAtMillis);
                Headers.put(headers, Headers.SEGMENTER_OUT_MS, System.currentTimeMillis());
                context.forward(new Record<>(in.key(), png, in.timestamp(), headers), TO_MASKS);
                var statsHeaders = copy(headers);
                Headers.put(statsHeaders, Headers.ENCODING, "json");
                context.forward(new Record<>(in.key(), MaskStats.json(frame.identity, modelLabel, frame.result), in.timestamp(),
                        statsHeaders), TO_STATS);
                stats.segmented(frame.identity.stream());
            }
            store.delete(in.offset());
        }
        if (forwarded) {
            // Under exactly_once_v2 the sink (read_committed) sees masks only once the transaction commits: ask for
            // the commit now rather than at the next commit.interval.ms (100 ms), which every mask would wait out.
            context.commit();
        }
    }

    private void deadLetter(StoredRecord in, String reason, String kind) {
        log.warn("dead letter: frames partition {} offset {} (key '{}'): {}", in.partition(), in.offset(), in.key(), reason);
        var headers = copy(in.headers());
        Headers.put(headers, Headers.ERROR, reason);
        Headers.put(headers, Headers.FRAME_PARTITION, in.partition());
        Headers.put(headers, Headers.FRAME_OFFSET, in.offset());
        context.forward(new Record<>(in.key(), in.value(), in.timestamp(), headers), TO_DEAD_LETTERS);
        stats.deadLetter(in.key(), kind);
    }

    private static RecordHeaders copy(org.apache.kafka.common.header.Headers headers) {
        return new RecordHeaders(headers.toArray());
    }

    @Override
    public void close() {
        // Frames not forwarded stay in the store; the task's next owner restores and segments them.
        if (batcher != null) {
            batcher.removeAll(this);
        }
        inOrder.clear();
        if (ticking != null) {
            ticking.cancel();
            ticking = null;
        }
    }
}
