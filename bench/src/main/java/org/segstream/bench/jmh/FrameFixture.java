package org.segstream.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.scenes.street.LabelledFrame;
import org.segstream.scenes.street.StreetScene;

/**
 * One 640x360 street-scene frame as every stage sees it: the BGR pixels, its JPEG (quality 90, as
 * ingest sends it), a class map (the scene's ground truth, so the PNG compresses like a real mask)
 * and that mask's PNG. The same seed every run, so runs compare.
 */
@State(Scope.Benchmark)
public class FrameFixture {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;

    public BgrImage frame;
    public byte[] jpeg;
    public ClassMap mask;
    public byte[] png;

    @Setup(Level.Trial)
    public void render() {
        LabelledFrame labelled = oneSecondIn(WIDTH, HEIGHT);
        frame = labelled.image();
        mask = labelled.labels();
        jpeg = JpegCodec.encode(frame, 90);
        png = MaskPng.encode(mask);
    }

    /** Frame 25 of the street scene with seed 2024 at 25 fps: one second in, traffic has entered the street. */
    static LabelledFrame oneSecondIn(int width, int height) {
        var scene = new StreetScene(2024, width, height, 25);
        LabelledFrame labelled = scene.next();
        for (int i = 0; i < 24; i++) {
            labelled = scene.next();
        }
        return labelled;
    }
}
