package org.segstream.contract;

/**
 * Record header names of the topic contract (docs/topics.md). Every value is a UTF-8 string (numbers in
 * decimal), so any Kafka client in any language can read them (kcat -f '%h'); {@link HeaderValues}
 * reads and writes them.
 */
public final class HeaderNames {
    private HeaderNames() {
    }

    /** "frame" or "end"; on the masks topic also "shed" ({@link RecordKind}). */
    public static final String KIND = "segstream.kind";
    /** Stream id, equal to the record key. */
    public static final String STREAM = "segstream.stream";
    /** Id of one ingest session of the stream (new on every start or reconnect). */
    public static final String SESSION = "segstream.session";
    /** Frame sequence number within the session: 0, 1, 2, ... without gaps. */
    public static final String SEQ = "segstream.seq";
    /** Presentation timestamp of the frame in the source, microseconds. */
    public static final String PTS_US = "segstream.pts.us";
    /**
     * Capture wall-clock time, epoch milliseconds: the wall clock for live sources; for files the
     * container's creation time + pts where present, else the ingest time.
     */
    public static final String CAPTURE_MS = "segstream.capture.ms";
    /** When ingest read the frame, epoch milliseconds: where end-to-end latency is measured from (optional; absent: use {@link #CAPTURE_MS}). */
    public static final String INGEST_MS = "segstream.ingest.ms";
    public static final String WIDTH = "segstream.width";
    public static final String HEIGHT = "segstream.height";
    /** Frame rate of the source, frames per second (decimal). */
    public static final String FPS = "segstream.fps";
    /** Value encoding: "jpeg" or "bgr24" on frames, "png" on masks. */
    public static final String ENCODING = "segstream.encoding";
    /**
     * Which input of the stream the session reads (optional): for a file, its name (a folder source's
     * files are sessions of one stream, so this tells them apart). Never a URL, which may hold credentials.
     */
    public static final String SOURCE = "segstream.source";
    /** "file" or "live": live frames may be shed when stale, file frames never. */
    public static final String SOURCE_KIND = "segstream.source.kind";
    /** On masks: the frames-topic partition and offset of the frame this mask belongs to. */
    public static final String FRAME_PARTITION = "segstream.frame.partition";
    public static final String FRAME_OFFSET = "segstream.frame.offset";
    /**
     * On masks: when the segmenter admitted the frame, and when it forwarded the frame's mask (epoch
     * milliseconds, the segmenter's wall clock). With the frame record's timestamp (its producer's send
     * time, which the mask record keeps) they split a frame's latency by stage.
     */
    public static final String SEGMENTER_IN_MS = "segstream.segmenter.in.ms";
    public static final String SEGMENTER_OUT_MS = "segstream.segmenter.out.ms";
    /** On masks: model name and version that produced the mask. */
    public static final String MODEL = "segstream.model";
    /**
     * On shed markers (kind shed, masks topic): why the segmenter shed the frame without segmenting it, a fixed
     * word: {@code stale} (past its deadline), {@code deadline} (could not be done by it), {@code overload} (an
     * older frame given up for newer ones while the live cameras send more than the segmenter can take).
     */
    public static final String SHED_REASON = "segstream.shed.reason";
    /** On dead letters: why the record was refused. */
    public static final String ERROR = "segstream.error";
}
