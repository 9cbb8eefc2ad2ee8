package org.segstream.segmenter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
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
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FrameStats;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SegmenterTimes;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.SourceKind;
import org.segstream.contract.TopicValue;
import org.segstream.contract.Untrusted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's share of the segmenter: admits frames, hands them to its thread's {@link FrameBatcher},
 * and forwards each stream's masks strictly in arrival order. Order is kept per stream (the record key),
 * not per task: the batcher serves live frames before file frames that came earlier on the same
 * partition, and their masks must not wait behind them.
 *
 * <p>Every frame ends as a mask, a dead letter or a shed marker (a live frame the batcher shed: an
 * empty record on the masks topic with the frame's headers, {@code segstream.kind=shed} and the reason),
 * in the stream's order and in the same transaction as the masks around it.
 *
 * <p>A record's failure belongs to the record: whatever goes wrong while admitting, resizing,
 * segmenting or encoding one frame ends in a dead letter in its place ({@link DeadLetters}, always small
 * enough for its topic), counted by reason, and the task goes on. Only Kafka's own failures (a fenced
 * producer, a broker that refuses a write) leave {@link #process}.
 *
 * <p>Nothing is lost on a crash: a frame's position (partition and offset) is put in the task's changelogged
 * store when admitted and deleted in the same step that forwards its mask, dead letter or shed marker; after a
 * restart the frames it names are read again from the frames topic ({@link #pendingRecords}). The store's cache is flushed before every
 * commit, so the changelog holds the frames still pending at a commit. Under exactly_once_v2 the
 * store, the masks and the input offsets commit together, so after a kill -9 the restored store
 * holds exactly the frames whose masks were not yet committed, and they are processed again.
 */
final class SegmentProcessor implements Processor<String, FramesTopicRecord, String, TopicValue> {
    private static final Logger log = LoggerFactory.getLogger(SegmentProcessor.class);

    static final String STORE = "pending-frames";
    static final String TO_MASKS = "masks";
    static final String TO_DEAD_LETTERS = "dead-letters";
    static final String TO_STATS = "stats";

    /** Dead-letter reasons (the {@code reason} label of segstream_dead_letters_total). */
    static final String INVALID = "invalid";
    static final String TOO_MANY_STREAMS = "too_many_streams";
    static final String ERROR = "error";
    /** A pending frame retention deleted from the frames topic before a restart could read it again. */
    static final String MISSING = "missing";

    private final Supplier<FrameBatcher> batcherOfThisThread;
    private final SegmenterStats stats;
    private final String modelLabel;
    /** The model descriptor's class names, by class index: the stats name classes by them. */
    private final List<String> classNames;
    private final FrameAdmission admission;
    private final ActiveStreams streams;
    private final Duration tick;
    private final FrameReader frames;
    /** Per record key (the stream), its records in arrival order; a key is removed when its queue empties. */
    private final Map<String, ArrayDeque<PendingFrame>> inOrder = new LinkedHashMap<>();
    /** A flood of bad records must not flood the log: dead letters are counted and on Kafka anyway. */
    private final LogBudget deadLetterLog = new LogBudget(20, 60_000);
    private ProcessorContext<String, TopicValue> context;
    private KeyValueStore<Long, byte[]> store;
    private FrameBatcher batcher;
    private Cancellable ticking;

    SegmentProcessor(Supplier<FrameBatcher> batcherOfThisThread, SegmenterStats stats, String modelLabel, List<String> classNames,
                     FrameAdmission admission, ActiveStreams streams, Duration tick, FrameReader frames) {
        this.batcherOfThisThread = batcherOfThisThread;
        this.stats = stats;
        this.modelLabel = modelLabel;
        this.classNames = List.copyOf(classNames);
        this.admission = admission;
        this.streams = streams;
        this.tick = tick;
        this.frames = frames;
    }

    @Override
    public void init(ProcessorContext<String, TopicValue> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.batcher = batcherOfThisThread.get();
        int restored = 0;
        for (StoredRecord record : pendingRecords()) {
            // Admitted before, so it passed the checks; decode it again for inference. Should it fail now (a
            // stricter version, a full stream table, a frame retention deleted), it becomes a dead letter, forwarded
            // at the first tick: init() may not forward, and throwing here would fail the task again on every restart.
            enqueue(record.value() == null ? missing(record) : admit(record, record.read(), System.currentTimeMillis()));
            restored++;
        }
        if (restored > 0) {
            log.info("task {}: {} frames restored from the pending-frames store will be segmented again", context.taskId(), restored);
        }
        tickWhileFramesWait();
    }

    /**
     * The records the pending-frames store names, in offset order, read back from the frames topic (a record the
     * topic no longer holds comes back with a null value); unreadable entries are deleted.
     *
     * <p>Re-reading is safe: a pending frame was read at most a read-ahead window (seconds, {@link
     * InputLimits#maxBatchPixels()} of frames) before the task's committed position, and the restarted task reads
     * on from that position anyway, so whatever retention keeps of the frames topic (at least a minute, an hour
     * by default) holds the pending frames too unless it also deleted records the restart needs. If retention did
     * delete one (a segmenter down for longer than the frames topic keeps), that frame gets a dead letter.
     */
    private List<StoredRecord> pendingRecords() {
        Map<Integer, List<Long>> offsetsByPartition = new java.util.TreeMap<>();
        Map<Long, StoredRecord> wholeRecords = new java.util.TreeMap<>();
        List<Long> unreadable = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> pending = store.all()) {
            while (pending.hasNext()) {
                var entry = pending.next();
                try {
                    if (StoredRecord.isWholeRecord(entry.value)) { // written by a version that kept the whole record
                        wholeRecords.put(entry.key, StoredRecord.decode(entry.value));
                        continue;
                    }
                    offsetsByPartition.computeIfAbsent(PendingPosition.partitionOf(entry.value), p -> new ArrayList<>()).add(entry.key);
                } catch (RuntimeException e) {
                    log.error("task {}: pending-frames store entry {} is unreadable and is skipped: {}", context.taskId(), entry.key, e.toString());
                    unreadable.add(entry.key);
                }
            }
        }
        unreadable.forEach(store::delete);
        List<StoredRecord> records = new ArrayList<>(wholeRecords.values());
        offsetsByPartition.forEach((partition, offsets) -> {
            offsets.sort(null);
            Map<Long, StoredRecord> read = frames.read(partition, offsets);
            for (long offset : offsets) {
                records.add(read.getOrDefault(offset,
                        new StoredRecord(partition, offset, System.currentTimeMillis(), null, new RecordHeaders(), null)));
            }
        });
        return records;
    }

    private PendingFrame missing(StoredRecord record) {
        var frame = PendingFrame.refused(record.withValue(new byte[0]), this, "the frame at partition " + record.partition()
                + " offset " + record.offset() + " is no longer on the frames topic (retention) and cannot be segmented again", MISSING);
        frame.arrivedAtMillis = System.currentTimeMillis();
        return frame;
    }

    /** The record admitted, or refused with its reason (a dead letter in its place); never throws for what the record holds. */
    private PendingFrame admit(StoredRecord record, FramesTopicRecord value, long arrived) {
        long now = now();
        PendingFrame frame;
        try {
            frame = admission.admit(record, value, this, now);
        } catch (FrameAdmission.TooManyStreams e) {
            frame = PendingFrame.refused(record, this, e.getMessage(), TOO_MANY_STREAMS);
        } catch (BadRecordException e) {
            frame = PendingFrame.refused(record, this, e.getMessage(), INVALID);
        } catch (RuntimeException e) {
            // Not a check that refused it but a failure while checking or decoding it (a decoder bug, say): still the record's.
            frame = PendingFrame.refused(record, this, "could not admit the record: " + e, ERROR);
        }
        frame.arrivedAtMillis = arrived;
        return frame;
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
    public void process(Record<String, FramesTopicRecord> record) {
        long arrived = System.currentTimeMillis(); // the real clock, not the thread's cached one: it stamps a header
        RecordMetadata source = context.recordMetadata().orElseThrow();
        var stored = new StoredRecord(source.partition(), source.offset(), record.timestamp(), record.key(),
                record.headers(), StoredRecord.valueOf(record.value()));
        PendingFrame frame = admit(stored, record.value(), arrived);
        if (frame.failure != null) {
            // At once, and never into the store: a refused record may be too large for its changelog.
            deadLetter(stored, frame.failure, frame.failureKind);
            return;
        }
        store.put(source.offset(), PendingPosition.encode(source.partition()));
        if (frame.isFrame()) {
            stats.admitted(now() - frame.identity.latencyOriginMs());
        }
        enqueue(frame);
        batcher.runReady(now());
        forwardFinished();
        tickWhileFramesWait();
    }

    private void enqueue(PendingFrame frame) {
        if (frame.isFrame()) {
            try {
                batcher.add(frame, now());
            } catch (RuntimeException e) {
                frame.fail("could not prepare the frame for the model: " + e, ERROR);
            }
        }
        inOrder.computeIfAbsent(orderKey(frame.record), k -> new ArrayDeque<>()).addLast(frame);
    }

    private static String orderKey(StoredRecord record) {
        return record.key() == null ? "" : record.key();
    }

    /** The stream thread's clock (mock time under TopologyTestDriver); it reads 0 until the task first runs. */
    private long now() {
        long cached = context.currentSystemTimeMs();
        return cached > 0 ? cached : System.currentTimeMillis();
    }

    /** Forwards, in each stream's arrival order, every record at the head of its queue that is done. */
    private void forwardFinished() {
        boolean forwarded = false;
        boolean urgent = false;
        for (Iterator<ArrayDeque<PendingFrame>> queues = inOrder.values().iterator(); queues.hasNext(); ) {
            ArrayDeque<PendingFrame> queue = queues.next();
            while (!queue.isEmpty() && queue.peekFirst().done()) {
                PendingFrame frame = queue.pollFirst();
                forwarded = true;
                urgent |= frame.result != null && frame.identity.sourceKind() == SourceKind.LIVE;
                forward(frame);
            }
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
        if (forwarded && (urgent || batcher.idle())) {
            // Under exactly_once_v2 the sink (read_committed) sees masks only once the transaction commits: ask for the
            // commit now for a live frame's mask or the last output there is, rather than at the next commit.interval.ms.
            // A backlog's outputs and shed markers wait for that interval: each commit is a transaction the broker and the
            // stream thread pay for, and the thread reads no records while it waits on one. (Committing for every shed
            // marker made a late camera later: each of its records then cost a commit, on a busy machine 0.1 to 0.7 s.)
            context.commit();
        }
    }

    /** The record's output (mask, dead letter, shed marker or end marker), and its store entry deleted in the same step. */
    private void forward(PendingFrame frame) {
        StoredRecord in = frame.record;
        if (frame.failure != null) {
            deadLetter(in, frame.failure, frame.failureKind);
        } else if (frame.dropped != null) {
            forwardShed(frame);
        } else if (frame.isEnd()) {
            context.forward(new Record<>(in.key(), frame.end, in.timestamp(), copy(in.headers())), TO_MASKS);
        } else {
            forwardMask(frame);
        }
        store.delete(in.offset());
    }

    /** A shed frame's marker: the frame's headers (its identity intact) with kind shed and the reason, and no value. */
    private void forwardShed(PendingFrame frame) {
        StoredRecord in = frame.record;
        var marker = new ShedMarker(frame.identity, frame.dropped, new FramePosition(in.partition(), in.offset()),
                new SegmenterTimes(frame.arrivedAtMillis, System.currentTimeMillis()));
        context.forward(new Record<>(in.key(), marker, in.timestamp(), copy(in.headers())), TO_MASKS);
        stats.dropped(frame.identity.stream(), streams.label(frame.identity.stream()), frame.dropped);
    }

    /** The frame's mask and stats records (on a copy of the frame's headers each); a dead letter instead if making them fails. */
    private void forwardMask(PendingFrame frame) {
        StoredRecord in = frame.record;
        Record<String, TopicValue> mask;
        Record<String, TopicValue> maskStats;
        try {
            long encodeStart = System.nanoTime();
            byte[] png = MaskPng.encode(frame.result);
            stats.maskEncoded(System.nanoTime() - encodeStart);
            var value = new Mask(frame.identity, new FramePosition(in.partition(), in.offset()), modelLabel,
                    new SegmenterTimes(frame.arrivedAtMillis, System.currentTimeMillis()), png);
            mask = new Record<>(in.key(), value, in.timestamp(), copy(in.headers()));
            maskStats = new Record<>(in.key(), FrameStats.of(value, classNames, frame.result), in.timestamp(), copy(in.headers()));
        } catch (RuntimeException e) {
            deadLetter(in, "could not encode the mask: " + e, ERROR);
            return;
        }
        context.forward(mask, TO_MASKS);
        context.forward(maskStats, TO_STATS);
        stats.segmented(frame.identity.stream(), streams.label(frame.identity.stream()));
    }

    private void deadLetter(StoredRecord in, String reason, String kind) {
        Record<String, DeadLetter> letter = DeadLetters.of(in, reason);
        if (deadLetterLog.take(now())) {
            log.warn("dead letter ({}): frames partition {} offset {} (key '{}'): {}{}", kind, in.partition(), in.offset(),
                    Untrusted.echo(in.key()), Untrusted.echo(reason, DeadLetters.MAX_REASON_CHARS), deadLetterLog.suppressedNote());
        }
        context.forward(letter, TO_DEAD_LETTERS);
        stats.deadLetter(in.key(), kind);
    }

    private static RecordHeaders copy(Headers headers) {
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
