package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.segstream.contract.ClassMap;
import org.segstream.segmenter.model.InferenceModel;
import org.segstream.segmenter.model.ModelDescriptor;

/**
 * An {@link InferenceModel} without ONNX: of known speed ({@code msPerFrame} of a simulated clock, moved on through
 * {@code advanceClockMs}, never slept) and with deterministic masks: a pixel is class 1 ("bright") where its blue
 * value is 128 or more, else 0 ("background"). Records each batch's size.
 */
final class FakeModel implements InferenceModel {
    static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(Path.of("fake.json"), "fake", "1.0", Path.of("fake.onnx"), "",
            "image", "classes", List.of("background", "bright"));

    private final double msPerFrame;
    private final LongConsumer advanceClockMs;
    private final List<Integer> batches = new CopyOnWriteArrayList<>();
    private final boolean batchingPaysOff;

    FakeModel(double msPerFrame, LongConsumer advanceClockMs) {
        this(msPerFrame, advanceClockMs, true);
    }

    /** {@code batchingPaysOff} false: the model says so as the CPU does (its cost is per frame either way). */
    FakeModel(double msPerFrame, LongConsumer advanceClockMs, boolean batchingPaysOff) {
        this.msPerFrame = msPerFrame;
        this.advanceClockMs = advanceClockMs;
        this.batchingPaysOff = batchingPaysOff;
    }

    @Override
    public boolean batchingPaysOff() {
        return batchingPaysOff;
    }

    /** A model that takes no time. */
    static FakeModel instant() {
        return new FakeModel(0, ms -> { });
    }

    @Override
    public ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory) {
        advanceClockMs.accept(Math.round(msPerFrame * n));
        batches.add(n);
        ClassMap[] maps = new ClassMap[n];
        int pixels = width * height;
        for (int i = 0; i < n; i++) {
            byte[] classes = new byte[pixels];
            for (int p = 0; p < pixels; p++) {
                classes[p] = (byte) ((nhwc.get(nhwc.position() + (i * pixels + p) * 3) & 0xff) >= 128 ? 1 : 0);
            }
            maps[i] = new ClassMap(width, height, classes);
        }
        return maps;
    }

    /** The sizes of the batches run so far, in order. */
    List<Integer> batches() {
        return Collections.unmodifiableList(batches);
    }
}
