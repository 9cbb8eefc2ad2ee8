package org.segstream.video;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/** What a video file holds, as a player decodes it: codec, frame size and the number of frames decoded. */
public record VideoFileInfo(String codec, int width, int height, int frames) {

    static {
        FfmpegLog.quietByDefault();
    }

    /** Decodes the whole file (every frame is counted, not the container's claim). */
    public static VideoFileInfo read(Path file) throws IOException {
        try (var grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            return new VideoFileInfo(grabber.getVideoCodecName(), grabber.getImageWidth(), grabber.getImageHeight(), frames);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
    }

    /** The presentation time of every frame, in microseconds, in decoding order (as a player shows them). */
    public static long[] frameTimesMicros(Path file) throws IOException {
        try (var grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            var times = new java.util.ArrayList<Long>();
            while (grabber.grabImage() != null) {
                times.add(grabber.getTimestamp());
            }
            return times.stream().mapToLong(Long::longValue).toArray();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
    }
}
