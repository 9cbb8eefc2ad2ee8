package org.segstream.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stats topic's value: per frame, the fraction of pixels of each class present, as JSON
 * ({@code {"stream":…,"session":…,"seq":…,"capture_ms":…,"width":…,"height":…,"model":…,"classes":{"car":0.031,…}}}).
 */
public final class MaskStats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaskStats() {
    }

    /**
     * Pixel fraction of each class present in the mask, by class name ({@code classNames}, the model
     * descriptor's, by class index; {@code class_N} past its end), in class order.
     */
    public static Map<String, Double> fractions(ClassMap mask, List<String> classNames) {
        long[] counts = new long[256];
        for (byte c : mask.classes()) {
            counts[c & 0xff]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double total = mask.classes().length;
        for (int c = 0; c < 256; c++) {
            if (counts[c] > 0) {
                String name = c < classNames.size() ? classNames.get(c) : "class_" + c;
                out.put(name, Math.round(counts[c] / total * 1e6) / 1e6);
            }
        }
        return out;
    }

    /** The stats topic's JSON value of {@code stats} (docs/topics.md, "Values"). */
    static byte[] json(FrameStats stats) {
        FrameIdentity frame = stats.frame();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("stream", frame.stream());
        value.put("session", frame.session());
        value.put("seq", frame.seq());
        value.put("capture_ms", frame.captureTimeMs());
        if (frame.ingestTimeMs() >= 0) {
            value.put("ingest_ms", frame.ingestTimeMs());
        }
        value.put("width", frame.width());
        value.put("height", frame.height());
        value.put("model", stats.model());
        value.put("classes", stats.classes());
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class fractions of a stats topic's JSON value; throws {@link BadRecordException} if it is not one. */
    static Map<String, Double> classesOf(byte[] json) {
        try {
            JsonNode classes = JSON.readTree(json).path("classes");
            if (!classes.isObject()) {
                throw new BadRecordException("stats value has no \"classes\" object");
            }
            Map<String, Double> out = new LinkedHashMap<>();
            classes.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
            return out;
        } catch (IOException e) {
            throw new BadRecordException("stats value is not JSON: " + Untrusted.echo(e.getMessage()));
        }
    }
}
