package org.segstream.contract;

import java.util.Arrays;
import org.apache.kafka.common.header.Headers;

/**
 * A mask on the masks topic: the palette PNG of a frame's class indices ({@link MaskPng}), with every
 * identity header of its frame ({@code encoding=png}), where the frame is on the frames topic, the model
 * that made it ({@code name:version}; null when a record does not say) and the segmenter's times.
 */
public record Mask(FrameIdentity frame, FramePosition framePosition, String model, SegmenterTimes times, byte[] png)
        implements MasksTopicRecord {
    public static final String ENCODING = "png";

    public Mask {
        if (frame == null || framePosition == null || times == null || png == null) {
            throw new IllegalArgumentException("a mask needs its frame, the frame's position, the segmenter's times and a PNG");
        }
        frame = frame.withEncoding(ENCODING);
    }

    /** Writes the mask's headers, replacing earlier ones of the same names (a frame's other headers stay). */
    void writeTo(Headers headers) {
        frame.writeTo(headers);
        framePosition.writeTo(headers);
        if (model != null) {
            HeaderValues.put(headers, HeaderNames.MODEL, model);
        }
        times.writeTo(headers);
    }

    static Mask readFrom(Headers headers, byte[] png) {
        return new Mask(FrameIdentity.readFrom(headers), FramePosition.readFrom(headers),
                HeaderValues.optionalText(headers, HeaderNames.MODEL), SegmenterTimes.readFrom(headers), png);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Mask that && frame.equals(that.frame) && framePosition.equals(that.framePosition)
                && java.util.Objects.equals(model, that.model) && times.equals(that.times) && Arrays.equals(png, that.png);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(frame, framePosition, model, times, Arrays.hashCode(png));
    }

    @Override
    public String toString() {
        return "Mask[" + frame + ", " + framePosition + ", " + model + ", " + times + ", " + png.length + " bytes]";
    }
}
