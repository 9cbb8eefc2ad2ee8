package org.segstream.contract;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * A frame's class statistics on the stats topic: the headers of its mask ({@code encoding=json}) and, as
 * the JSON value, the fraction of the frame's pixels of each class present, by class name in class order
 * ({@link MaskStats#fractions}).
 */
public record FrameStats(FrameIdentity frame, FramePosition framePosition, String model, SegmenterTimes times,
                         Map<String, Double> classes) implements TopicValue {
    public static final String ENCODING = "json";

    public FrameStats {
        if (frame == null || framePosition == null || times == null || classes == null) {
            throw new IllegalArgumentException("frame statistics need their frame, its position, the segmenter's times and the classes");
        }
        frame = frame.withEncoding(ENCODING);
        classes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classes));
    }

    /**
     * The statistics of {@code mask}'s class map {@code classMap}: the mask's headers, its class fractions
     * by the model's class names ({@code classNames}, by class index).
     */
    public static FrameStats of(Mask mask, List<String> classNames, ClassMap classMap) {
        return new FrameStats(mask.frame(), mask.framePosition(), mask.model(), mask.times(),
                MaskStats.fractions(classMap, classNames));
    }

    void writeTo(Headers headers) {
        new Mask(frame, framePosition, model, times, new byte[0]).writeTo(headers);
        HeaderValues.put(headers, HeaderNames.ENCODING, ENCODING);
    }
}
