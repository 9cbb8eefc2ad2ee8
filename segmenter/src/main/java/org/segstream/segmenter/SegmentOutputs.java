package org.segstream.segmenter;

import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FrameStats;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SegmenterTimes;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.TopicValue;
import org.segstream.contract.Untrusted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task forwards for a record, each on a copy of the frame's own headers: its mask and stats, a shed marker
 * (a live frame the batcher shed: the frame's identity, the reason, no image), the end-of-stream marker, or a dead
 * letter ({@link DeadLetters}, always small enough for its topic), counted by reason and logged within a budget.
 */
final class SegmentOutputs {
    private static final Logger log = LoggerFactory.getLogger(SegmentOutputs.class);

    private final ProcessorContext<String, TopicValue> context;
    private final SegmenterStats stats;
    private final ActiveStreams streams;
    private final String modelLabel;
    /** The model descriptor's class names, by class index: the stats name classes by them. */
    private final List<String> classNames;
    private final LongSupplier now;
    /** A flood of bad records must not flood the log: dead letters are counted and on Kafka anyway. */
    private final LogBudget deadLetterLog = new LogBudget(20, 60_000);

    SegmentOutputs(ProcessorContext<String, TopicValue> context, SegmenterStats stats, ActiveStreams streams, String modelLabel,
                   List<String> classNames, LongSupplier now) {
        this.context = context;
        this.stats = stats;
        this.streams = streams;
        this.modelLabel = modelLabel;
        this.classNames = List.copyOf(classNames);
        this.now = now;
    }

    /** The record's output: a dead letter, shed marker, end marker or mask, as the record ended. */
    void forward(PendingFrame frame) {
        StoredRecord in = frame.record;
        if (frame.failure != null) {
            deadLetter(in, frame.failure, frame.failureKind);
        } else if (frame.dropped != null) {
            shedMarker(frame);
        } else if (frame.isEnd()) {
            context.forward(new Record<>(in.key(), frame.end, in.timestamp(), copy(in.headers())), SegmentProcessor.TO_MASKS);
        } else {
            mask(frame);
        }
    }

    /** A shed frame's marker: its identity, where it was, the reason and when it came and went. */
    private void shedMarker(PendingFrame frame) {
        StoredRecord in = frame.record;
        var marker = new ShedMarker(frame.identity, frame.dropped, new FramePosition(in.partition(), in.offset()),
                new SegmenterTimes(frame.arrivedAtMillis, System.currentTimeMillis()));
        context.forward(new Record<>(in.key(), marker, in.timestamp(), copy(in.headers())), SegmentProcessor.TO_MASKS);
        stats.dropped(frame.identity.stream(), streams.label(frame.identity.stream()), frame.dropped);
    }

    /** The frame's mask and stats records; a dead letter instead if making them fails. */
    private void mask(PendingFrame frame) {
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
            deadLetter(in, "could not encode the mask: " + e, SegmentProcessor.ERROR);
            return;
        }
        context.forward(mask, SegmentProcessor.TO_MASKS);
        context.forward(maskStats, SegmentProcessor.TO_STATS);
        stats.segmented(frame.identity.stream(), streams.label(frame.identity.stream()));
    }

    void deadLetter(StoredRecord in, String reason, String kind) {
        Record<String, DeadLetter> letter = DeadLetters.of(in, reason);
        if (deadLetterLog.take(now.getAsLong())) {
            log.warn("dead letter ({}): frames partition {} offset {} (key '{}'): {}{}", kind, in.partition(), in.offset(),
                    Untrusted.echo(in.key()), Untrusted.echo(reason, DeadLetters.MAX_REASON_CHARS), deadLetterLog.suppressedNote());
        }
        context.forward(letter, SegmentProcessor.TO_DEAD_LETTERS);
        stats.deadLetter(in.key(), kind);
    }

    private static RecordHeaders copy(Headers headers) {
        return new RecordHeaders(headers.toArray());
    }
}
