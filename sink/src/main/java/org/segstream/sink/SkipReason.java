package org.segstream.sink;

/**
 * Why the sink did not write a mask's overlay: the {@code reason} label of
 * {@code segstream_frames_skipped_total}. A fixed set, so the label's values are bounded.
 */
enum SkipReason {
    /** The record breaks the topic contract (a missing or malformed header, an undecodable image, sizes that disagree). */
    INVALID("invalid"),
    /** The stream or session id cannot name a folder (empty, too long). */
    BAD_NAME("bad_name"),
    /** A frame a finalised file already holds (redelivered after a restart). */
    DUPLICATE("duplicate"),
    /** The mask's frame was deleted from the frames topic (retention). */
    FRAME_GONE("frame_gone"),
    /** The mask points at a frames partition that does not exist or an offset that was never written. */
    NO_SUCH_FRAME("no_such_frame"),
    /** A new stream id while the sink already tracks its maximum of streams, each with an open file. */
    TOO_MANY_STREAMS("too_many_streams"),
    /** Writing the overlay failed while the output folder itself is writable: the record's fault (e.g. a size the encoder refuses). */
    WRITE_FAILED("write_failed"),
    /** Any other failure while handling the record. */
    ERROR("error");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
