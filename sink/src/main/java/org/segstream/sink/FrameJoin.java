package org.segstream.sink;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.Headers;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.contract.RecordKind;

/**
 * Pairs a mask with the frame it was computed from: reads the frame at the frames-topic location the
 * mask names ({@link FrameFetcher}), decodes both and checks that they are the same size. Every way a
 * mask can fail to pair is thrown as the mask's own fault ({@link SkipException} with its reason, or
 * {@link BadRecordException}); only a frames topic that does not answer is the environment's
 * ({@link EnvironmentFailure}).
 */
final class FrameJoin implements AutoCloseable {
    /** A frame bigger than 8K is refused before it is decoded. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(60);

    /** A mask and its frame, decoded, of one size. */
    record Pair(BgrImage frame, ClassMap mask) {
    }

    private final FrameFetcher fetcher;
    private final Duration fetchTimeout;

    FrameJoin(FrameFetcher fetcher) {
        this(fetcher, FETCH_TIMEOUT);
    }

    /** Waits at most {@code fetchTimeout} for a frame before the frames topic counts as not answering. */
    FrameJoin(FrameFetcher fetcher, Duration fetchTimeout) {
        this.fetcher = fetcher;
        this.fetchTimeout = fetchTimeout;
    }

    /** True for the segmenter's record of a frame it shed: it has no mask, so nothing to join. */
    static boolean isShedMarker(ConsumerRecord<String, byte[]> record) {
        return RecordKind.SHED.wire().equals(Headers.getOrNull(record.headers(), Headers.KIND));
    }

    /** The frame of {@code maskRecord} (frame {@code seq} of its session, for messages) and its mask, decoded. */
    Pair join(ConsumerRecord<String, byte[]> maskRecord, long seq) {
        ConsumerRecord<String, byte[]> frameRecord = fetchFrame(maskRecord, seq);
        BgrImage frame = JpegCodec.decode(frameRecord.value(), FrameIdentity.MAX_PIXELS);
        PngHeader.requireSize(maskRecord.value(), frame.width(), frame.height()); // before decoding: a forged size would allocate
        ClassMap mask = MaskPng.decode(maskRecord.value());
        if (mask.width() != frame.width() || mask.height() != frame.height()) {
            throw new BadRecordException("mask is " + mask.width() + "x" + mask.height() + " but its frame is "
                    + frame.width() + "x" + frame.height());
        }
        return new Pair(frame, mask);
    }

    private ConsumerRecord<String, byte[]> fetchFrame(ConsumerRecord<String, byte[]> maskRecord, long seq) {
        // Outside input: a partition beyond int range is clamped, and then refused by the fetcher as a partition that does not exist.
        int partition = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                Headers.getLong(maskRecord.headers(), Headers.FRAME_PARTITION)));
        long offset = Headers.getLong(maskRecord.headers(), Headers.FRAME_OFFSET);
        ConsumerRecord<String, byte[]> frameRecord = fetcher.fetch(partition, offset, fetchTimeout);
        if (frameRecord == null) {
            throw new SkipException(SkipReason.FRAME_GONE, "frame seq " + seq + " (" + partition + "@" + offset
                    + ") is gone from the frames topic; its overlay is skipped");
        }
        return frameRecord;
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
