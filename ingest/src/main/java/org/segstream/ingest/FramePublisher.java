package org.segstream.ingest;

import org.segstream.contract.BgrImage;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;

/**
 * Turns a session's decoded frames into frame records: downscaled to the source's size limit, stamped
 * with their identity and capture time, JPEG-encoded within the producer's request limit, sent and
 * counted.
 */
final class FramePublisher {
    private final SourceSpec input;
    private final String session;
    /** The container's creation time (a file's capture time origin), -1 for live sources or when unknown. */
    private final long creationMs;
    private final double fps;
    /** The file's name, on every record of a folder's session; null otherwise (a URL may hold credentials). */
    private final String sourceName;
    private final int jpegQuality;
    private final FrameProducer producer;
    private final IngestMetrics metrics;

    FramePublisher(SourceSpec input, String session, VideoDecoder decoder, IngestConfig config, FrameProducer producer,
                   IngestMetrics metrics) {
        boolean live = input.kind() == SourceKind.LIVE;
        SourceOptions options = input.options();
        this.input = input;
        this.session = session;
        this.creationMs = live ? -1 : CaptureTime.epochMillis(decoder.creationTime());
        this.fps = options.fps() > 0 ? Math.min(options.fps(), decoder.frameRate()) : decoder.frameRate();
        this.sourceName = input.kind() == SourceKind.FILE && !input.isUrl() ? java.nio.file.Path.of(input.location()).getFileName().toString() : null;
        this.jpegQuality = options.jpegQuality() > 0 ? options.jpegQuality() : config.jpegQuality();
        this.producer = producer;
        this.metrics = metrics;
    }

    /** The frame rate the session's records declare: the source's, or the sampling rate when lower. */
    double fps() {
        return fps;
    }

    /** Publishes {@code frame} as frame {@code seq} of the session. */
    void publish(DecodedFrame frame, long seq) {
        long now = System.currentTimeMillis(); // the frame enters the pipeline: ingest.ms, and live capture time
        SourceOptions options = input.options();
        BgrImage image = frame.image();
        int[] size = options.fit(image.width(), image.height());
        image = Downscale.to(image, size[0], size[1]);
        long capture = CaptureTime.of(input.kind() == SourceKind.LIVE, options.recordedTime(), creationMs,
                frame.ptsMicros(), now);
        var identity = new FrameIdentity(input.stream(), session, seq, frame.ptsMicros(), capture, image.width(), image.height(), fps,
                "jpeg", input.kind(), now, sourceName);
        long encodeStart = System.nanoTime();
        byte[] jpeg = encodeWithinLimit(image, jpegQuality);
        long sent = System.nanoTime();
        metrics.encode.observe((sent - encodeStart) / 1e9);
        producer.sendFrame(new Frame(identity, jpeg), () -> metrics.produce.observe((System.nanoTime() - sent) / 1e9));
        metrics.frames.labelValues(input.stream()).inc();
        metrics.lastFrame(input.stream(), input.kind(), now);
    }

    /** JPEG under the producer's request limit: lower the quality until it fits (never send what the broker refuses). */
    static byte[] encodeWithinLimit(BgrImage image, int startQuality) {
        int quality = startQuality;
        byte[] jpeg = JpegCodec.encode(image, quality);
        while (jpeg.length > Topics.MAX_FRAME_BYTES && quality > 10) {
            quality -= 15;
            jpeg = JpegCodec.encode(image, quality);
        }
        return jpeg;
    }
}
