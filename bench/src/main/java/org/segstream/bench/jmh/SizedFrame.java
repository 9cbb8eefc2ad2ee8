package org.segstream.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.ImageIoJpeg;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.MaskPng;
import org.segstream.scenes.street.LabelledFrame;

/**
 * A street-scene frame at each size the codec benchmarks compare (the bench's 640x360 and 720p):
 * its BGR pixels, its JPEG as ingest writes it (ImageIO, quality 90), the scene's class map and that
 * map's PNG. The same seed and frame every run, so runs compare.
 */
@State(Scope.Benchmark)
public class SizedFrame {
    @Param({"640x360", "1280x720"})
    public String size;

    public BgrImage frame;
    public byte[] jpeg;
    public JpegStructure structure;
    public ClassMap mask;
    public byte[] png;

    @Setup(Level.Trial)
    public void render() {
        String[] wh = size.split("x");
        LabelledFrame labelled = FrameFixture.oneSecondIn(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        frame = labelled.image();
        mask = labelled.labels();
        jpeg = ImageIoJpeg.encode(frame, 90);
        structure = JpegStructure.check(jpeg);
        png = MaskPng.encode(mask);
    }
}
