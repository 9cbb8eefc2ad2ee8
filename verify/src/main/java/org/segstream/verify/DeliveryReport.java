package org.segstream.verify;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run's accounting, as a read_committed reader of the topics sees it.
 *
 * @param framesIn            records on the frames topic other than end records (poison records included)
 * @param fileFramesIn        frames from file sources (never dropped)
 * @param liveFramesIn        frames from live sources (may be shed: a shed marker on the masks topic accounts for each)
 * @param unidentifiedIn      records without a readable frame identity (poison): they must be dead-lettered
 * @param masksOut            masks on the masks topic
 * @param duplicates          masks beyond the first for the same (stream, session, seq)
 * @param outOfOrder          masks that came after a later mask of their session
 * @param wrongSize           masks whose PNG size differs from their frame's
 * @param maskSizes           the distinct mask sizes, "WxH"
 * @param missingFile         file frames with neither a mask nor a dead letter (nor a shed marker: files are never shed)
 * @param missingLive         live frames with neither a mask, a dead letter nor a shed marker: lost
 * @param missingUnidentified poison records without a dead letter
 * @param shedByReason        frames the segmenter shed, by reason, from their shed markers on the masks topic
 * @param deadLettersByReason dead letters by reason (the error text without its particulars)
 * @param sessions            stream sessions seen on the frames topic
 * @param unfinishedSessions  sessions ended on the frames topic whose end never reached the masks topic
 * @param latency             from capture (or ingest) time to the mask's append to the masks topic
 */
public record DeliveryReport(
        long framesIn,
        long fileFramesIn,
        long liveFramesIn,
        long unidentifiedIn,
        long masksOut,
        long duplicates,
        long outOfOrder,
        long wrongSize,
        java.util.List<String> maskSizes,
        long missingFile,
        long missingLive,
        long missingUnidentified,
        Map<String, Long> shedByReason,
        Map<String, Long> deadLettersByReason,
        long sessions,
        long unfinishedSessions,
        Latency latency) {

    /** End-to-end latency percentiles in milliseconds (-1 without masks) and the clock of the mask side. */
    public record Latency(long samples, long p50Ms, long p95Ms, long p99Ms, String maskClock) {
    }

    public long shed() {
        return shedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Frames unaccounted for: neither a mask, a dead letter nor a shed marker names them. */
    public long gaps() {
        return missingFile + missingUnidentified + missingLive;
    }

    /** Every frame accounted for exactly once: no gap, no duplicate, every session finished. */
    public boolean exactlyOnce() {
        return gaps() == 0 && duplicates == 0 && outOfOrder == 0 && wrongSize == 0 && unfinishedSessions == 0;
    }

    public String toText() {
        return String.format("""
                frames in        %d (file %d, live %d, unidentified %d) in %d sessions
                masks out        %d
                duplicates       %d
                out of order     %d
                wrong-size masks %d (sizes %s)
                gaps             %d (file frames without mask or dead letter %d, poison records not dead-lettered %d,
                                 live frames without mask, dead letter or shed marker %d)
                dead letters     %d %s
                shed             %d %s (each with its marker on the masks topic)
                unfinished       %d sessions ended on the frames topic without their end on the masks topic
                latency          p50 %d ms, p95 %d ms, p99 %d ms over %d masks (capture or ingest time to the mask's %s)
                """, framesIn, fileFramesIn, liveFramesIn, unidentifiedIn, sessions, masksOut, duplicates, outOfOrder, wrongSize,
                maskSizes, gaps(), missingFile, missingUnidentified, missingLive, deadLetters(), byReason(deadLettersByReason),
                shed(), byReason(shedByReason), unfinishedSessions, latency.p50Ms(), latency.p95Ms(), latency.p99Ms(),
                latency.samples(), latency.maskClock());
    }

    /** "{stale=12, undecodable JPEG=1}"-style, empty when there are none. */
    public static String byReason(Map<String, Long> counts) {
        return counts.isEmpty() ? "" : counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
