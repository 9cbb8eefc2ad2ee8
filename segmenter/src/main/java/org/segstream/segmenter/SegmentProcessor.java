package org.segstream.segmenter;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.TopicValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's share of the segmenter: admits frames ({@link FrameAdmission}), notes them in its
 * {@link PendingFramesStore}, hands them to its thread's {@link FrameBatcher}, and forwards each stream's outputs
 * ({@link SegmentOutputs}) strictly in arrival order ({@link StreamOrder}).
 *
 * <p>Every frame ends as a mask, a dead letter or a shed marker, in the stream's order and in the same
 * transaction as the masks around it. A record's failure belongs to the record: whatever goes wrong while
 * admitting, resizing, segmenting or encoding one frame ends in a dead letter in its place, counted by reason, and
 * the task goes on. Only Kafka's own failures (a fenced producer, a broker that refuses a write) leave {@link #process}.
 *
 * <p>Nothing is lost on a crash: a frame's position is put in the task's changelogged store when admitted and
 * deleted in the same step that forwards its output; after a restart the frames it names are read again from the
 * frames topic. The store's cache is flushed before every commit, so the changelog holds the frames still pending
 * at a commit. Under exactly_once_v2 the store, the masks and the input offsets commit together, so after a kill -9
 * the restored store holds exactly the frames whose masks were not yet committed, and they are processed again.
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
    /**
     * A file frame's mask committed at once when its frame is at most this old (ms since ingest read it): it is being
     * watched as it comes. An older one is part of a backlog, already late by more than the commit interval would add.
     */
    static final long FRESH_MASK_MS = 1000;

    private final Supplier<FrameBatcher> batcherOfThisThread;
    private final SegmenterStats stats;
    private final String modelLabel;
    private final List<String> classNames;
    private final FrameAdmission admission;
    private final ActiveStreams streams;
    private final Duration tick;
    private final FrameReader frames;
    private final StreamOrder inOrder = new StreamOrder();
    private ProcessorContext<String, TopicValue> context;
    private PendingFramesStore pending;
    private SegmentOutputs outputs;
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
        this.pending = new PendingFramesStore(context.getStateStore(STORE), frames, context.taskId());
        this.outputs = new SegmentOutputs(context, stats, streams, modelLabel, classNames, this::now);
        this.batcher = batcherOfThisThread.get();
        List<StoredRecord> restored = pending.restore();
        for (StoredRecord record : restored) {
            // Admitted before, so it passed the checks; decode it again for inference. Should it fail now (a
            // stricter version, a full stream table, a frame retention deleted), it becomes a dead letter, forwarded
            // at the first tick: init() may not forward, and throwing here would fail the task again on every restart.
            enqueue(record.value() == null ? missing(record) : admit(record, record.read(), System.currentTimeMillis()));
        }
        if (!restored.isEmpty()) {
            log.info("task {}: {} frames restored from the pending-frames store will be segmented again", context.taskId(), restored.size());
        }
        tickWhileFramesWait();
    }

    private PendingFrame missing(StoredRecord record) {
        var frame = PendingFrame.refused(record.withValue(new byte[0]), this, "the frame at partition " + record.partition()
                + " offset " + record.offset() + " is no longer on the frames topic (retention) and cannot be segmented again", MISSING);
        frame.arrivedAtMillis = System.currentTimeMillis();
        return frame;
    }

    private PendingFrame admit(StoredRecord record, FramesTopicRecord value, long arrived) {
        PendingFrame frame = admission.admitOrRefuse(record, value, this, now());
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
            // At once, and never into the store: nothing of a refused record is kept for a restart to replay.
            outputs.deadLetter(stored, frame.failure, frame.failureKind);
            return;
        }
        pending.put(stored);
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
        inOrder.add(frame);
    }

    /** The stream thread's clock (mock time under TopologyTestDriver); it reads 0 until the task first runs. */
    private long now() {
        long cached = context.currentSystemTimeMs();
        return cached > 0 ? cached : System.currentTimeMillis();
    }

    /** Forwards, in each stream's arrival order, every record that is done, each with its store entry deleted in the same step. */
    private void forwardFinished() {
        List<PendingFrame> done = inOrder.takeDone();
        long now = System.currentTimeMillis(); // frame ages are judged against the frames' own (real) clocks
        boolean urgent = false;
        for (PendingFrame frame : done) {
            urgent |= frame.result != null && (frame.isLive()
                    || now - frame.identity.latencyOriginMs() <= FRESH_MASK_MS);
            outputs.forward(frame);
            pending.delete(frame.record);
        }
        if (!done.isEmpty() && (urgent || batcher.idle())) {
            // Under exactly_once_v2 the sink (read_committed) sees masks only once the transaction commits: ask for the
            // commit now for a live frame's mask, a fresh frame's (a file read in real time, watched as it comes) or the
            // last output there is, rather than at the next commit.interval.ms (up to 500 ms more). A backlog's outputs
            // and shed markers wait for that interval: each commit is a transaction the broker and the stream thread pay
            // for, and the thread reads no records while it waits on one. (Committing for every shed marker made a late
            // camera later: each of its records then cost a commit, on a busy machine 0.1 to 0.7 s.)
            context.commit();
        }
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
