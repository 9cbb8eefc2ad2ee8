package org.segstream.ingest;

import java.util.HashMap;
import java.util.Map;
import org.segstream.contract.Topics;

/**
 * Ingest settings. {@code kafka} holds client properties passed through unchanged to the producer
 * (security settings included); the defaults of {@link FrameProducer} apply only where it says nothing.
 */
public record IngestConfig(String bootstrapServers, Topics topics, int jpegQuality, long maxPixels, Map<String, Object> kafka) {

    public static final int DEFAULT_JPEG_QUALITY = 90;
    /** 8K UHD; larger frames are refused before they are allocated. */
    public static final long DEFAULT_MAX_PIXELS = 7680L * 4320;

    public IngestConfig {
        kafka = Map.copyOf(kafka);
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality " + jpegQuality + " is outside 1..100");
        }
    }

    public static IngestConfig of(String bootstrapServers, Topics topics) {
        return new IngestConfig(bootstrapServers, topics, DEFAULT_JPEG_QUALITY, DEFAULT_MAX_PIXELS, Map.of());
    }

    /** From KAFKA_BOOTSTRAP_SERVERS, topic variables (see {@link Topics#fromEnv}) and SEGSTREAM_JPEG_QUALITY. */
    public static IngestConfig fromEnv(Map<String, String> env, Map<String, Object> kafka) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        int quality = Integer.parseInt(env.getOrDefault("SEGSTREAM_JPEG_QUALITY", String.valueOf(DEFAULT_JPEG_QUALITY)));
        return new IngestConfig(bootstrap, Topics.fromEnv(env), quality, DEFAULT_MAX_PIXELS, new HashMap<>(kafka));
    }
}
