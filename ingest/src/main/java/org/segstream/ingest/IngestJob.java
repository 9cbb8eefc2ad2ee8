package org.segstream.ingest;

import java.util.UUID;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.StreamEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source from start to end and publishes every frame, then an end-of-stream record.
 * Each run is a new session: sequence numbers start at 0 and have no gaps.
 */
public final class IngestJob {
    private static final Logger log = LoggerFactory.getLogger(IngestJob.class);

    private final SourceSpec source;
    private final IngestConfig config;
    private final FrameProducer producer;
    private final IngestMetrics metrics;

    public IngestJob(SourceSpec source, IngestConfig config, FrameProducer producer) {
        this(source, config, producer, new IngestMetrics());
    }

    public IngestJob(SourceSpec source, IngestConfig config, FrameProducer producer, IngestMetrics metrics) {
        this.source = source;
        this.config = config;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Runs to the end of the source; never throws for a bad source, the result says what went wrong. */
    public IngestResult run() {
        String session = UUID.randomUUID().toString().substring(0, 8);
        long seq = 0;
        try (VideoDecoder decoder = VideoDecoder.open(source, config.maxPixels())) {
            log.info("ingesting '{}' from {} ({} fps, session {})", source.stream(), source.location(),
                    String.format("%.2f", decoder.frameRate()), session);
            DecodedFrame frame;
            long decodeStart = System.nanoTime();
            while ((frame = decoder.next()) != null) {
                metrics.decode.observe((System.nanoTime() - decodeStart) / 1e9);
                var identity = new FrameIdentity(source.stream(), session, seq, frame.ptsMicros(),
                        System.currentTimeMillis(), frame.image().width(), frame.image().height(),
                        decoder.frameRate(), "jpeg", source.kind());
                long encodeStart = System.nanoTime();
                byte[] jpeg = encodeWithinLimit(frame);
                long sent = System.nanoTime();
                metrics.encode.observe((sent - encodeStart) / 1e9);
                producer.sendFrame(identity, jpeg, () -> metrics.produce.observe((System.nanoTime() - sent) / 1e9));
                metrics.frames.labelValues(source.stream()).inc();
                seq++;
                decodeStart = System.nanoTime();
            }
            producer.sendEnd(new StreamEnd(source.stream(), session, seq));
            producer.flush();
            log.info("ingest of '{}' done: {} frames", source.stream(), seq);
            return new IngestResult(source.stream(), session, seq, null);
        } catch (SourceException e) {
            log.error("{}", e.getMessage());
            metrics.sourceErrors.labelValues(source.stream()).inc();
            // Frames before the damage were sent; close the session so readers do not wait for more.
            if (seq > 0) {
                producer.sendEnd(new StreamEnd(source.stream(), session, seq));
                producer.flush();
            }
            return new IngestResult(source.stream(), session, seq, e.getMessage());
        }
    }

    /** JPEG under the producer's request limit: lower the quality until it fits (never send what the broker refuses). */
    private byte[] encodeWithinLimit(DecodedFrame frame) {
        int quality = config.jpegQuality();
        byte[] jpeg = JpegCodec.encode(frame.image(), quality);
        while (jpeg.length > FrameProducer.MAX_REQUEST_BYTES && quality > 10) {
            quality -= 15;
            jpeg = JpegCodec.encode(frame.image(), quality);
        }
        return jpeg;
    }
}
