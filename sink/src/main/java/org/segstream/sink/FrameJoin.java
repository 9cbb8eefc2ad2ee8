package org.segstream.sink;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.Unreadable;

/**
 * Pairs a mask with the frame it was computed from: reads the frame at the frames-topic position the
 * mask names ({@link FrameFetcher}, through the frames topic's Serde), decodes both and checks that they
 * are the same size. Every way a mask can fail to pair is thrown as the mask's own fault
 * ({@link SkipException} with its reason, or {@link BadRecordException}); only a frames topic that does
 * not answer is the environment's ({@link EnvironmentFailure}).
 */
final class FrameJoin implements AutoCloseable {
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(60);

    /** A mask and its frame, decoded, of one size. */
    record Pair(BgrImage frame, ClassMap mask) {
    }

    private final FrameFetcher<FramesTopicRecord> fetcher;
    private final Duration fetchTimeout;

    FrameJoin(FrameFetcher<FramesTopicRecord> fetcher) {
        this(fetcher, FETCH_TIMEOUT);
    }

    /** Waits at most {@code fetchTimeout} for a frame before the frames topic counts as not answering. */
    FrameJoin(FrameFetcher<FramesTopicRecord> fetcher, Duration fetchTimeout) {
        this.fetcher = fetcher;
        this.fetchTimeout = fetchTimeout;
    }

    /** The frame of {@code mask} (frame {@code seq} of its session, for messages) and its mask, decoded. */
    Pair join(Mask mask, long seq) {
        FramePosition at = mask.framePosition();
        // A frame bigger than 8K is refused before it is decoded.
        BgrImage frame = JpegCodec.decode(imageOf(fetchFrame(at, seq), at), FrameIdentity.MAX_PIXELS);
        PngHeader.requireSize(mask.png(), frame.width(), frame.height()); // before decoding: a forged size would allocate
        ClassMap classes = MaskPng.decode(mask.png());
        if (classes.width() != frame.width() || classes.height() != frame.height()) {
            throw new BadRecordException("mask is " + classes.width() + "x" + classes.height() + " but its frame is "
                    + frame.width() + "x" + frame.height());
        }
        return new Pair(frame, classes);
    }

    /** A partition beyond int range was clamped when the mask was read, and is refused by the fetcher as one that does not exist. */
    private FramesTopicRecord fetchFrame(FramePosition at, long seq) {
        ConsumerRecord<String, FramesTopicRecord> frameRecord = fetcher.fetch(at.partition(), at.offset(), fetchTimeout);
        if (frameRecord == null) {
            throw new SkipException(SkipReason.FRAME_GONE, "frame seq " + seq + " (" + at.partition() + "@" + at.offset()
                    + ") is gone from the frames topic; its overlay is skipped");
        }
        return frameRecord.value();
    }

    /** The JPEG of the mask's frame; throws if the record there is no frame. */
    private static byte[] imageOf(FramesTopicRecord record, FramePosition at) {
        if (record instanceof Frame frame) {
            return frame.image();
        }
        String what = record instanceof Unreadable unreadable ? "an unreadable record (" + unreadable.reason() + ")" : "an end record";
        throw new BadRecordException("the mask's frame " + at.partition() + "@" + at.offset() + " is " + what);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
