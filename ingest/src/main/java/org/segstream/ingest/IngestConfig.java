package org.segstream.ingest;

import java.util.List;
import java.util.Map;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Setting;
import org.segstream.config.Settings;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Topics;

/**
 * Ingest settings. {@code kafka} holds client properties passed through unchanged to the producer
 * (security settings included); the defaults of {@link FrameProducer} apply only where it says nothing.
 */
public record IngestConfig(String bootstrapServers, Topics topics, int jpegQuality, long maxPixels, Map<String, Object> kafka) {

    public static final int DEFAULT_JPEG_QUALITY = 90;
    public static final Setting<Integer> JPEG_QUALITY = Setting.wholeNumber("SEGSTREAM_JPEG_QUALITY", DEFAULT_JPEG_QUALITY, 1, 100);
    /** Comma-separated sources, for {@code segstream ingest} without SOURCE arguments or a streams file. */
    public static final Setting<String> SOURCES = Setting.text("SEGSTREAM_SOURCES", null);
    public static final List<Setting<?>> SETTINGS = List.of(JPEG_QUALITY, SOURCES);

    public IngestConfig {
        kafka = Map.copyOf(kafka);
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality " + jpegQuality + " is outside 1..100");
        }
    }

    /** The defaults, frames refused over 8K UHD ({@link FrameIdentity#MAX_PIXELS}). */
    public static IngestConfig of(String bootstrapServers, Topics topics) {
        return new IngestConfig(bootstrapServers, topics, DEFAULT_JPEG_QUALITY, FrameIdentity.MAX_PIXELS, Map.of());
    }

    /** The cluster of {@code kafka}, the topic variables (see {@link Topics#from}) and SEGSTREAM_JPEG_QUALITY. */
    public static IngestConfig from(Settings settings, KafkaConnection kafka) {
        return new IngestConfig(kafka.bootstrapServers(), Topics.from(settings), settings.get(JPEG_QUALITY), FrameIdentity.MAX_PIXELS,
                kafka.clientProperties());
    }
}
