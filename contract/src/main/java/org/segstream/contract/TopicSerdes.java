package org.segstream.contract;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;

/**
 * The Serdes of segstream's topics (docs/topics.md): each writes and reads a record's documented headers
 * and value. Headers are parsed here, once, with the contract's checks ({@link RecordLimits} first, then
 * each header); a frames or masks record that breaks the contract reads as {@link Unreadable} (the
 * reason capped and escaped), never as an exception that would stop a consumer.
 */
public final class TopicSerdes {
    private static final byte[] EMPTY = new byte[0];

    private TopicSerdes() {
    }

    public static Serde<FramesTopicRecord> frames() {
        return new ContractSerde<>("frames-topic record", TopicSerdes::writeFrames, TopicSerdes::readFrames);
    }

    public static Serde<MasksTopicRecord> masks() {
        return new ContractSerde<>("masks-topic record", TopicSerdes::writeMasks, TopicSerdes::readMasks);
    }

    public static Serde<FrameStats> stats() {
        return new ContractSerde<>("stats record", TopicSerdes::writeStats, TopicSerdes::readStats);
    }

    public static Serde<DeadLetter> deadLetters() {
        return new ContractSerde<>("dead letter", TopicSerdes::writeDeadLetter, DeadLetter::readFrom);
    }

    private static byte[] writeFrames(FramesTopicRecord record, Headers headers) {
        if (record instanceof Frame frame) {
            frame.identity().writeTo(headers);
            return frame.image();
        }
        if (record instanceof StreamEnd end) {
            end.writeTo(headers);
            return EMPTY;
        }
        throw new IllegalArgumentException("an unreadable record is never written: " + record);
    }

    static FramesTopicRecord readFrames(Headers headers, byte[] data) {
        byte[] value = data == null ? EMPTY : data;
        try {
            RecordLimits.FRAMES.check(headers, value);
            RecordKind kind = StreamEnd.kindOf(headers);
            if (kind == RecordKind.END) {
                return StreamEnd.readFrom(headers);
            }
            if (kind != RecordKind.FRAME) {
                throw new BadRecordException("a record of kind '" + kind.wire() + "' does not belong on the frames topic");
            }
            return new Frame(FrameIdentity.readFrom(headers), value);
        } catch (BadRecordException e) {
            return Unreadable.of(e, headers, value);
        } catch (RuntimeException e) {
            return Unreadable.of(new BadRecordException("could not read the record: " + Untrusted.echo(e.toString()), e), headers, value);
        }
    }

    private static byte[] writeMasks(MasksTopicRecord record, Headers headers) {
        if (record instanceof Mask mask) {
            mask.writeTo(headers);
            return mask.png();
        }
        if (record instanceof ShedMarker shed) {
            shed.writeTo(headers);
            return EMPTY;
        }
        if (record instanceof StreamEnd end) {
            end.writeTo(headers);
            return EMPTY;
        }
        throw new IllegalArgumentException("an unreadable record is never written: " + record);
    }

    static MasksTopicRecord readMasks(Headers headers, byte[] data) {
        byte[] value = data == null ? EMPTY : data;
        try {
            RecordLimits.MASKS.check(headers, value);
            RecordKind kind = StreamEnd.kindOf(headers);
            if (kind == RecordKind.END) {
                return StreamEnd.readFrom(headers);
            }
            if (kind == RecordKind.SHED) {
                return ShedMarker.readFrom(headers);
            }
            return Mask.readFrom(headers, value);
        } catch (BadRecordException e) {
            return Unreadable.of(e, headers, value);
        } catch (RuntimeException e) {
            return Unreadable.of(new BadRecordException("could not read the record: " + Untrusted.echo(e.toString()), e), headers, value);
        }
    }

    private static byte[] writeStats(FrameStats stats, Headers headers) {
        stats.writeTo(headers);
        return MaskStats.json(stats);
    }

    /** Stats are read by other programs; a bad one fails the read as Kafka's deserializers do, with the reason. */
    private static FrameStats readStats(Headers headers, byte[] value) {
        try {
            RecordLimits.MASKS.check(headers, value);
            return new FrameStats(FrameIdentity.readFrom(headers), FramePosition.readFrom(headers),
                    HeaderValues.optionalText(headers, HeaderNames.MODEL), SegmenterTimes.readFrom(headers),
                    MaskStats.classesOf(value == null ? EMPTY : value));
        } catch (BadRecordException e) {
            throw new SerializationException("unreadable stats record: " + e.getMessage(), e);
        }
    }

    private static byte[] writeDeadLetter(DeadLetter letter, Headers headers) {
        letter.writeTo(headers);
        return letter.value();
    }
}
