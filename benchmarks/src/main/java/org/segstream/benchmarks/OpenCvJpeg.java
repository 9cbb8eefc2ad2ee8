package org.segstream.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.segstream.contract.BgrImage;

/** OpenCV's imdecode/imencode (libjpeg-turbo inside), a candidate measured against FFmpeg and ImageIO. */
final class OpenCvJpeg {
    private OpenCvJpeg() {
    }

    static BgrImage decode(byte[] jpeg) {
        try (var bytes = new BytePointer(jpeg); var buffer = new Mat(1, jpeg.length, CV_8UC1, bytes);
             Mat image = imdecode(buffer, IMREAD_COLOR)) {
            byte[] pixels = new byte[image.cols() * image.rows() * 3];
            image.data().get(pixels);
            return new BgrImage(image.cols(), image.rows(), pixels);
        }
    }

    static byte[] encode(BgrImage frame, int quality) {
        try (var pixels = new BytePointer(frame.pixels());
             var image = new Mat(frame.height(), frame.width(), CV_8UC3, pixels);
             var out = new BytePointer();
             var params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            imencode(".jpg", image, out, params);
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }
}
