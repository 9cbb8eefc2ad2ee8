package org.segstream.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.segstream.contract.DeadLetter;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.Mask;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;

/**
 * What a verifier has seen on the frames, masks and dead-letters topics, reduced to what accounting
 * needs (identities, positions, times; never pixels), and the {@link DeliveryReport} it adds up to.
 *
 * <p>A frame is accounted for when a mask, a dead letter or a shed marker (kind {@code shed} on the
 * masks topic) names its frames-topic position ({@code segstream.frame.partition}/{@code .offset}):
 * from the topics alone, with no help from the segmenter's metrics.
 */
final class DeliveryLedger {
    private record Position(int partition, long offset) {
        static Position of(FramePosition at) {
            return new Position(at.partition(), at.offset());
        }
    }

    private record FrameId(String stream, String session, long seq) {
    }

    private record FrameSeen(Position position, String stream, FrameId id, SourceKind kind) {
    }

    private record MaskSeen(String stream, long appendedMs, long latencyMs, String size) {
    }

    private final List<FrameSeen> frames = new ArrayList<>();
    private final Map<String, Set<String>> endedSessionsIn = new HashMap<>();
    private final Map<String, Set<String>> endedSessionsOut = new HashMap<>();
    private final Set<Position> masked = new HashSet<>();
    private final Map<FrameId, Integer> maskCopies = new HashMap<>();
    private final Map<String, Long> lastSeqOfSession = new HashMap<>();
    private final List<MaskSeen> masks = new ArrayList<>();
    private final Map<String, List<String>> deadLetterReasonsByStream = new HashMap<>();
    private final Set<Position> deadLettered = new HashSet<>();
    private final Set<Position> shedMarked = new HashSet<>();
    /** Per stream, the reason of each shed marker. */
    private final Map<String, List<String>> shedReasonsByStream = new HashMap<>();
    private long outOfOrder;
    private long wrongSize;
    private boolean appendTimeClock = true;

    void frame(ConsumerRecord<String, FramesTopicRecord> record) {
        var position = new Position(record.partition(), record.offset());
        if (record.value() instanceof StreamEnd end) {
            endedSessionsIn.computeIfAbsent(end.stream(), s -> new HashSet<>()).add(end.session());
        } else if (record.value() instanceof Frame frame) {
            FrameIdentity identity = frame.identity();
            frames.add(new FrameSeen(position, identity.stream(), new FrameId(identity.stream(), identity.session(), identity.seq()),
                    identity.sourceKind()));
        } else {
            // a poison record: it has no identity, so only a dead letter naming its position accounts for it
            frames.add(new FrameSeen(position, record.key() == null ? "" : record.key(), null, null));
        }
    }

    /** A mask, shed marker or end record; an unreadable record on the masks topic accounts for no frame. */
    void mask(ConsumerRecord<String, MasksTopicRecord> record, long observedMs) {
        MasksTopicRecord value = record.value();
        if (value instanceof StreamEnd end) {
            endedSessionsOut.computeIfAbsent(end.stream(), s -> new HashSet<>()).add(end.session());
        } else if (value instanceof ShedMarker shed) {
            shedMarked.add(Position.of(shed.framePosition()));
            shedReasonsByStream.computeIfAbsent(record.key() == null ? "" : record.key(), k -> new ArrayList<>())
                    .add(reasonOf(shed.reason()));
        } else if (value instanceof Mask mask) {
            mask(mask, record, observedMs);
        }
    }

    private void mask(Mask mask, ConsumerRecord<String, MasksTopicRecord> record, long observedMs) {
        FrameIdentity identity = mask.frame();
        masked.add(Position.of(mask.framePosition()));
        var id = new FrameId(identity.stream(), identity.session(), identity.seq());
        int copies = maskCopies.merge(id, 1, Integer::sum);
        String session = identity.stream() + "\u0000" + identity.session();
        Long last = lastSeqOfSession.get(session);
        if (copies == 1 && last != null && identity.seq() < last) {
            outOfOrder++;
        }
        lastSeqOfSession.merge(session, identity.seq(), Math::max);
        if (!pngSizeIs(mask.png(), identity.width(), identity.height())) {
            wrongSize++;
        }
        boolean appendTime = record.timestampType() == TimestampType.LOG_APPEND_TIME;
        appendTimeClock &= appendTime;
        long at = appendTime ? record.timestamp() : observedMs;
        masks.add(new MaskSeen(identity.stream(), at, at - identity.latencyOriginMs(), identity.width() + "x" + identity.height()));
    }

    void deadLetter(ConsumerRecord<String, DeadLetter> record) {
        DeadLetter letter = record.value();
        if (letter.framePosition() != null) {
            deadLettered.add(Position.of(letter.framePosition()));
        }
        deadLetterReasonsByStream.computeIfAbsent(record.key() == null ? "" : record.key(), k -> new ArrayList<>())
                .add(reasonOf(letter.error()));
    }

    /** Whether every session ended on the frames topic has ended on the masks topic, and every poison record is dead-lettered. */
    boolean settled(Predicate<String> streams) {
        for (var in : endedSessionsIn.entrySet()) {
            if (streams.test(in.getKey()) && !endedSessionsOut.getOrDefault(in.getKey(), Set.of()).containsAll(in.getValue())) {
                return false;
            }
        }
        for (FrameSeen frame : frames) {
            if (frame.id() == null && streams.test(frame.stream()) && !deadLettered.contains(frame.position())) {
                return false;
            }
        }
        return true;
    }

    /** The append time of the first mask of a matching stream appended after {@code epochMs}. */
    OptionalLong firstMaskAfter(long epochMs, Predicate<String> streams) {
        return masks.stream().filter(m -> streams.test(m.stream()) && m.appendedMs() > epochMs)
                .mapToLong(MaskSeen::appendedMs).min();
    }

    DeliveryReport report(Predicate<String> streams) {
        FrameCounts in = countFrames(streams);
        long masksOut = 0;
        long duplicates = 0;
        for (var copies : maskCopies.entrySet()) {
            if (streams.test(copies.getKey().stream())) {
                masksOut += copies.getValue();
                duplicates += copies.getValue() - 1;
            }
        }
        var sizes = new java.util.TreeSet<String>();
        masks.stream().filter(m -> streams.test(m.stream())).forEach(m -> sizes.add(m.size()));
        return new DeliveryReport(in.file + in.live + in.unidentified, in.file, in.live, in.unidentified, masksOut, duplicates,
                outOfOrder, wrongSize, java.util.List.copyOf(sizes), in.missingFile, in.missingLive, in.missingUnidentified,
                reasons(shedReasonsByStream, streams), reasons(deadLetterReasonsByStream, streams), in.sessions.size(),
                unfinishedSessions(streams), latency(streams));
    }

    private FrameCounts countFrames(Predicate<String> streams) {
        var counts = new FrameCounts();
        for (FrameSeen frame : frames) {
            if (!streams.test(frame.stream())) {
                continue;
            }
            boolean accounted = masked.contains(frame.position()) || deadLettered.contains(frame.position())
                    || shedMarked.contains(frame.position());
            long missing = accounted ? 0 : 1;
            if (frame.id() == null) {
                counts.unidentified++;
                counts.missingUnidentified += missing;
            } else if (frame.kind() == SourceKind.LIVE) {
                counts.live++;
                counts.missingLive += missing;
            } else {
                counts.file++;
                counts.missingFile += missing;
            }
            if (frame.id() != null) {
                counts.sessions.add(frame.stream() + "\u0000" + frame.id().session());
            }
        }
        return counts;
    }

    /** How often each reason was given, over the matching streams. */
    private static Map<String, Long> reasons(Map<String, ? extends java.util.Collection<String>> byStream, Predicate<String> streams) {
        Map<String, Long> counts = new TreeMap<>();
        byStream.forEach((stream, reasons) -> {
            if (streams.test(stream)) {
                reasons.forEach(r -> counts.merge(r, 1L, Long::sum));
            }
        });
        return Map.copyOf(counts);
    }

    /** Sessions whose end record went in but never came out on the masks topic. */
    private long unfinishedSessions(Predicate<String> streams) {
        long unfinished = 0;
        for (var in : endedSessionsIn.entrySet()) {
            if (streams.test(in.getKey())) {
                for (String session : in.getValue()) {
                    unfinished += endedSessionsOut.getOrDefault(in.getKey(), Set.of()).contains(session) ? 0 : 1;
                }
            }
        }
        return unfinished;
    }

    private DeliveryReport.Latency latency(Predicate<String> streams) {
        long[] latencies = masks.stream().filter(m -> streams.test(m.stream())).mapToLong(MaskSeen::latencyMs).sorted().toArray();
        return new DeliveryReport.Latency(latencies.length, percentile(latencies, 50), percentile(latencies, 95),
                percentile(latencies, 99), appendTimeClock ? "log-append time" : "verifier receive time");
    }

    /** Nearest rank; -1 without samples. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** A dead letter's reason without its particulars: "undecodable JPEG: Bogus marker" becomes "undecodable JPEG". */
    static String reasonOf(String error) {
        if (error == null || error.isBlank()) {
            return "(no reason)";
        }
        String reason = error.split(":", 2)[0].replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N").trim();
        return reason.length() > 60 ? reason.substring(0, 59) + "…" : reason;
    }

    /** Reads the size from a PNG's IHDR chunk (it always comes first). */
    private static boolean pngSizeIs(byte[] png, int width, int height) {
        if (png == null || png.length < 24 || !"IHDR".equals(new String(png, 12, 4, StandardCharsets.US_ASCII))) {
            return false;
        }
        return readInt(png, 16) == width && readInt(png, 20) == height;
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
    }
}
